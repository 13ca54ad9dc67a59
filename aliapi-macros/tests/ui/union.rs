use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub union DescribeThings {
    pub a: u32,
    pub b: f32,
}

fn main() {}
