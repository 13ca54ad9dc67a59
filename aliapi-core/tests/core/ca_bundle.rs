//! A custom CA bundle is taken when it is valid PEM and refused with a
//! configuration error otherwise.

use aliapi_core::{Client, Error};

#[test]
fn a_valid_bundle_is_accepted() {
    let pem = include_bytes!("../fixtures/test-ca.pem");
    Client::builder()
        .ca_bundle_pem(pem.to_vec())
        .build()
        .expect("a self-signed CA loads");
}

#[test]
fn garbage_and_empty_bundles_are_configuration_errors() {
    for bad in [
        &b"not a certificate"[..],
        b"",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ] {
        match Client::builder().ca_bundle_pem(bad.to_vec()).build() {
            Err(Error::Config(msg)) => assert!(msg.contains("CA bundle"), "{msg}"),
            other => panic!("{:?} gave {other:?}", String::from_utf8_lossy(bad)),
        }
    }
}

#[test]
fn endpoint_overrides_must_be_urls() {
    match Client::builder().endpoint_url("127.0.0.1:8080").build() {
        Err(Error::Config(msg)) => assert!(msg.contains("full URL"), "{msg}"),
        other => panic!("{other:?}"),
    }
}
