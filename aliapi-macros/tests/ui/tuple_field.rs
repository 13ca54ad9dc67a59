use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings {
    pub pair: (String, u32),
    pub unit: (),
    pub pairs: Vec<(String, u32)>,
}

fn main() {}
