use aliapi_core::rpc_action;

// Every problem is reported in one go, not one per compile.
#[rpc_action(product = "Cdn", verison = "2018-05-10", method = "get")]
pub struct DescribeThings<T> {
    #[rpc(style = "repeatList", location = "Body")]
    pub name: String,
    #[rpc(style = "flat")]
    pub names: Vec<T>,
    pub borrowed: &'static str,
    pub nested: Option<Option<u8>>,
}

fn main() {}
