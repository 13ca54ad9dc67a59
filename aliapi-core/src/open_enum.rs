//! Open enums: the value sets the service documents for a param or a field,
//! as enums that keep what they do not know. A value the service adds later
//! decodes as `Unknown("…")` instead of failing the whole answer, and goes
//! back on the wire as it came.
//!
//! The product crates generate them with [`open_enum!`](crate::open_enum);
//! one macro_rules expansion per enum is far cheaper to compile than a serde
//! derive, and the impls are the same for every enum.

/// Defines an open enum: one variant per documented value, plus
/// `Unknown(String)` for any other, with `as_str`, `From<&str>`,
/// `FromStr`, `Display`, `AsRef<str>`, `Deref<Target = str>` and serde impls that read and write
/// the wire text.
///
/// ```
/// aliapi_core::open_enum! {
///     /// Where a domain stands.
///     pub enum DomainStatus {
///         /// Serving.
///         Online = "online",
///         /// Stopped.
///         Offline = "offline",
///     }
/// }
///
/// assert_eq!(DomainStatus::from("online"), DomainStatus::Online);
/// assert_eq!(DomainStatus::from("frozen"), DomainStatus::Unknown("frozen".into()));
/// assert_eq!(DomainStatus::Offline.as_str(), "offline");
/// assert_eq!(DomainStatus::from("frozen").to_string(), "frozen");
/// // It reads as its text where a `&str` is wanted.
/// assert_eq!(Some(DomainStatus::Online).as_deref(), Some("online"));
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(other) => other.as_str(),
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(text: ::std::string::String) -> Self {
                match text.as_str() {
                    $( $wire => Self::$variant, )*
                    _ => Self::Unknown(text),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(text))
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        // Reads as its text, so `Option<Enum>::as_deref()` gives the
        // `Option<&str>` a plain string field gave.
        impl ::core::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::open_enum_text(deserializer).map(Self::from)
            }
        }
    };
}

/// The text of an open enum's value: a string, or a number or boolean the
/// service sent unquoted (`1` where `"1"` is documented).
pub fn open_enum_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    struct Text;

    impl serde::de::Visitor<'_> for Text {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }

        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }

        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
    }

    deserializer.deserialize_any(Text)
}

#[cfg(test)]
mod tests {
    use crate::decode::decode_body;

    crate::open_enum! {
        /// A test set.
        pub enum Status {
            /// Up.
            Active = "Active",
            /// Going.
            Deleting = "Deleting",
            /// Numbered.
            One = "1",
        }
    }

    #[derive(Debug, Default, serde::Deserialize, serde::Serialize, PartialEq)]
    #[serde(default, rename_all = "PascalCase")]
    struct Answer {
        status: Option<Status>,
        statuses: Vec<Status>,
    }

    #[test]
    fn known_unknown_and_unquoted_values_decode() {
        let json = |b: &str| decode_body::<Answer>(b.as_bytes(), false).unwrap();
        assert_eq!(json(r#"{"Status":"Active"}"#).status, Some(Status::Active));
        assert_eq!(
            json(r#"{"Status":"Upgrading"}"#).status,
            Some(Status::Unknown("Upgrading".into()))
        );
        assert_eq!(json(r#"{"Status":1}"#).status, Some(Status::One));
        assert_eq!(json(r#"{}"#).status, None);
        // Through the lenient tree too (a list of one given bare, in XML).
        let xml = decode_body::<Answer>(
            b"<R><Statuses>Deleting</Statuses><Status>Active</Status></R>",
            true,
        )
        .unwrap();
        assert_eq!(xml.statuses, [Status::Deleting]);
    }

    #[test]
    fn values_go_back_as_they_came() {
        let a = Answer {
            status: Some(Status::Unknown("New".into())),
            statuses: vec![Status::Active],
        };
        let text = serde_json::to_string(&a).unwrap();
        assert_eq!(text, r#"{"Status":"New","Statuses":["Active"]}"#);
        assert_eq!(decode_body::<Answer>(text.as_bytes(), false).unwrap(), a);
        let mut params = crate::ParamWriter::new();
        params
            .write(
                "Status",
                crate::Location::Query,
                crate::Style::Plain,
                &Some(Status::Deleting),
            )
            .unwrap();
        assert_eq!(params.get("Status").as_deref(), Some("Deleting"));
    }
}
