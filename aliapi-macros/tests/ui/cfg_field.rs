use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings {
    #[cfg(test)]
    pub name: Option<String>,
}

fn main() {}
