use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub enum DescribeThings {
    One {
        #[rpc(rename = "X")]
        x: String,
    },
}

fn main() {}
