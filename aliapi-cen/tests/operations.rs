//! Every operation of the crate, driven through its registry and judged
//! against the merged spec, read at run time (see `aliapi-testkit`): the
//! params each writes, what arrives at a loopback server and its signature,
//! the answers each decodes in JSON and XML, and each paginator.

use aliapi_core::RpcAction;
use aliapi_core::paginate::Paginated;
use aliapi_testkit::Operation;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Collects the registry's operations as the harness's records.
struct Collect(Vec<Operation>);

impl aliapi_cen::__registry::Visit for Collect {
    fn operation<A>(&mut self)
    where
        A: RpcAction + DeserializeOwned + 'static,
        A::Response: Serialize,
    {
        self.0.push(Operation::plain::<A>());
    }

    fn paginated<A>(&mut self)
    where
        A: Paginated + DeserializeOwned + 'static,
        A::Response: Serialize,
        A::Item: Serialize,
    {
        self.0.push(Operation::paged::<A>());
    }
}

fn operations() -> Vec<Operation> {
    let mut all = Collect(Vec::new());
    aliapi_cen::__registry::visit(&mut all);
    assert_eq!(all.0.len(), aliapi_cen::__registry::OPERATIONS);
    all.0
}

fn spec() -> &'static aliapi_spec::Spec {
    aliapi_spec::cbn()
}

#[track_caller]
fn pass(result: Result<(), String>) {
    if let Err(failures) = result {
        panic!("{failures}");
    }
}

#[test]
fn the_registry_lists_every_operation_of_the_spec() {
    pass(aliapi_testkit::check_registry(spec(), &operations()));
}

#[test]
fn constants_name_product_version_action_method_and_endpoints() {
    pass(aliapi_testkit::check_constants(spec(), &operations()));
}

#[test]
fn every_param_is_written_under_its_wire_name_in_place_and_style() {
    pass(aliapi_testkit::check_params(spec(), &operations()));
}

#[tokio::test]
async fn every_operation_round_trips_through_the_client_and_verifies() {
    pass(aliapi_testkit::check_round_trip(spec(), &operations()).await);
}

#[tokio::test]
async fn every_answer_decodes_in_json_and_xml_without_loss() {
    pass(aliapi_testkit::check_answers(spec(), &operations()).await);
}

#[tokio::test]
async fn every_paginator_reads_points_and_walks() {
    pass(aliapi_testkit::check_paging(spec(), &operations()).await);
}

#[path = "operations/waiters.rs"]
mod waiters;

#[path = "operations/errors.rs"]
mod errors;

/// The operations with form-body params, signed with V3 (whose payload
/// hash covers the body), are accepted by the emulator.
#[tokio::test]
async fn every_form_body_operation_signed_with_v3_is_accepted_by_the_emulator() {
    use aliapi_core::{Client, Credentials, RetryConfig, SignatureVersion};
    let emulator = aliapi_emulator::Emulator::builder()
        .start()
        .await
        .expect("the emulator starts");
    let client = Client::builder()
        .credentials(Credentials::new(
            aliapi_emulator::DEFAULT_ACCESS_KEY_ID,
            aliapi_emulator::DEFAULT_ACCESS_KEY_SECRET,
        ))
        .endpoint_url(emulator.url())
        .signature_version(SignatureVersion::V3)
        .retry(RetryConfig::disabled())
        .build()
        .expect("the client builds");
    let sent = aliapi_testkit::check_form_body_calls(spec(), &operations(), &client).await;
    match sent {
        Ok((n, refused)) => {
            assert!(n > 0, "no operation has form-body params");
            // Most answer 200; a few refuse sample names of resources that
            // do not exist, after the signature passed.
            assert!(refused.len() * 4 < n, "{refused:?}");
        }
        Err(failures) => panic!("{failures}"),
    }
    emulator.shutdown().await;
}

#[path = "operations/enums.rs"]
mod enums;
