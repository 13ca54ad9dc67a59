//! A deprecated field's setter is deprecated too: setting the param warns
//! (here denied) where the user sets it, not inside the generated code.
#![deny(deprecated)]

use aliapi_core::rpc_action;

#[derive(Debug, serde::Deserialize)]
pub struct DescribeThingsResponse {}

#[rpc_action(product = "Cdn", version = "2018-05-10")]
pub struct DescribeThings {
    #[deprecated(note = "the service no longer reads it")]
    pub old_filter: Option<String>,
    pub page_size: Option<i32>,
}

fn main() {
    let _fine = DescribeThings::new().page_size(10);
    let _warned = DescribeThings::new().old_filter("x");
}
