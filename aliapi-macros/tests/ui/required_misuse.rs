use aliapi_core::rpc_action;

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct TagResources {
    #[rpc(required)]
    pub region_id: String,
    #[rpc(required)]
    pub owner_id: Option<i64>,
    #[rpc(required = "yes")]
    pub tag: Vec<String>,
}


fn main() {}
