use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings {
    #[rpc(rename = "A", rename = "B")]
    pub name: String,
    // Keys spread over two attributes still count once each.
    #[rpc(style = "json")]
    #[rpc(location = "body", style = "plain")]
    pub other: String,
}

fn main() {}
