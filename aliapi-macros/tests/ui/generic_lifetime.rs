use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings<'a> {
    pub names: Vec<std::borrow::Cow<'a, str>>,
}

fn main() {}
