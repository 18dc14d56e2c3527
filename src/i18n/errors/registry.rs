//! Registry errors into sentences: the message key comes from the error's stable `kind()`
//! (`unauthorized` → `error-unauthorized`), the arguments from its fields.

use crate::i18n::{Args, t_args};
use crate::registry::Error;
use fluent_bundle::FluentValue;

/// A localized sentence for a registry error, with the registry's own error codes appended
/// when it sent any (they are protocol words, never translated).
#[must_use]
pub fn describe(error: &Error) -> String {
    // Kinds added to the core after the catalog: English until the catalog learns them.
    let Some(pairs) = arguments(error) else {
        return error.to_string();
    };
    let mut args = Args::new();
    for (name, value) in pairs {
        args.set(name, value);
    }
    let key = format!("error-{}", error.kind().replace('_', "-"));
    let mut sentence = t_args(&key, Some(&args));
    sentence.push_str(&crate::registry::error::codes_suffix(error.codes()));
    sentence
}

/// The sentence without the network library's chain of causes, and that chain apart, for
/// the errors whose `reason` is one (a connection refused, a failed handshake): the window
/// shows the sentence and folds the chain under "Details". Other errors: their whole
/// sentence and no details.
#[must_use]
pub fn describe_brief(error: &Error) -> (String, Option<String>) {
    let (key, registry, reason) = match error {
        Error::Unreachable { registry, reason } => ("error-unreachable-brief", registry, reason),
        Error::Tls { registry, reason } => ("error-tls-brief", registry, reason),
        Error::UntrustedCertificate { registry, reason } => {
            ("error-untrusted-certificate-brief", registry, reason)
        }
        _ => return (describe(error), None),
    };
    let mut args = Args::new();
    args.set("registry", FluentValue::from(registry.clone()));
    (t_args(key, Some(&args)), Some(reason.clone()))
}

type Pairs<'a> = Vec<(&'static str, FluentValue<'a>)>;

/// The message arguments of each kind the catalog knows; `None` for kinds it does not.
fn arguments(error: &Error) -> Option<Pairs<'_>> {
    let s = |v: &str| FluentValue::from(v.to_owned());
    Some(match error {
        Error::InvalidReference(input) => vec![("input", s(input))],
        Error::Unreachable { registry, reason }
        | Error::Tls { registry, reason }
        | Error::UntrustedCertificate { registry, reason }
        | Error::Protocol { registry, reason } => {
            vec![("registry", s(registry)), ("reason", s(reason))]
        }
        Error::Unauthorized { registry, .. }
        | Error::PlainHttpAnswer { registry }
        | Error::CatalogUnsupported { registry }
        | Error::DeleteDisabled { registry }
        | Error::DeleteByDigestOnly { registry }
        | Error::NoCaCertificates { registry } => vec![("registry", s(registry))],
        Error::PlanChanged {
            reference,
            digest,
            change,
        } => vec![
            ("reference", s(reference)),
            ("digest", s(digest.as_str())),
            ("change", s(change.as_str())),
        ],
        Error::Denied { registry, what, .. } | Error::Stalled { registry, what } => {
            vec![("registry", s(registry)), ("what", s(what))]
        }
        Error::NotFound { what, .. } => vec![("what", s(what))],
        Error::RateLimited {
            registry,
            retry_after_secs,
            remaining,
        } => vec![
            ("registry", s(registry)),
            (
                "retry",
                FluentValue::from(retry_after_secs.map_or(-1, |v| i64::try_from(v).unwrap_or(-1))),
            ),
            ("remaining", s(remaining.as_deref().unwrap_or(""))),
        ],
        Error::Status {
            registry,
            what,
            status,
            ..
        } => vec![
            ("registry", s(registry)),
            ("what", s(what)),
            ("status", s(&status.to_string())),
        ],
        Error::DigestMismatch {
            what,
            expected,
            actual,
        } => vec![
            ("what", s(what)),
            ("expected", s(expected.as_str())),
            ("actual", s(actual.as_str())),
        ],
        Error::SizeMismatch {
            what,
            expected,
            actual,
        } => vec![
            ("what", s(what)),
            ("expected", FluentValue::from(*expected)),
            ("actual", FluentValue::from(*actual)),
        ],
        Error::TooLarge { what, limit } => {
            vec![
                ("what", s(what)),
                ("limit", s(&crate::format::size(*limit))),
            ]
        }
        Error::InvalidContent { what, reason } => vec![("what", s(what)), ("reason", s(reason))],
        Error::PlatformNotFound { .. }
        | Error::InvalidLink { .. }
        | Error::IndexTooDeep { .. }
        | Error::ForeignLink { .. }
        | Error::EndlessListing { .. } => hostile_arguments(error),
        Error::TokenFailed { realm, reason } => vec![("realm", s(realm)), ("reason", s(reason))],
        Error::Credentials(reason) => vec![("reason", s(reason))],
        Error::TagRemained { .. }
        | Error::UntagDisturbed { .. }
        | Error::PlaceholderLeft { .. } => untag_arguments(error),
        Error::Cancelled => Vec::new(),
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}

/// The arguments of the kinds a hostile or odd registry causes (issue 18): what an index
/// offers instead of a platform, and listings that cannot be followed.
fn hostile_arguments(error: &Error) -> Pairs<'_> {
    let s = |v: &str| FluentValue::from(v.to_owned());
    match error {
        Error::PlatformNotFound {
            wanted,
            available,
            nested,
        } => vec![
            ("wanted", s(&wanted.to_string())),
            ("available", s(&available.join(", "))),
            ("count", FluentValue::from(available.len())),
            ("nested", s(&nested.join(", "))),
            ("nestedcount", FluentValue::from(nested.len())),
        ],
        Error::InvalidLink { registry, link } => {
            vec![("registry", s(registry)), ("link", s(link))]
        }
        Error::IndexTooDeep { what, limit } => {
            vec![("what", s(what)), ("limit", FluentValue::from(*limit))]
        }
        Error::ForeignLink { registry, target } => {
            vec![("registry", s(registry)), ("target", s(target))]
        }
        Error::EndlessListing {
            registry,
            what,
            pages,
        } => vec![
            ("registry", s(registry)),
            ("what", s(what)),
            ("pages", FluentValue::from(*pages)),
        ],
        _ => Vec::new(),
    }
}

/// The arguments of an untag that did not go as the distribution spec says (issue 23).
fn untag_arguments(error: &Error) -> Pairs<'_> {
    let s = |v: &str| FluentValue::from(v.to_owned());
    match error {
        Error::TagRemained { reference, digest } => {
            vec![("reference", s(reference)), ("digest", s(digest.as_str()))]
        }
        Error::UntagDisturbed { reference, changed } => {
            let tags: Vec<String> = changed
                .iter()
                .map(|c| match &c.after {
                    Some(d) => format!("{} → {}", c.tag, d.short()),
                    None => c.tag.clone(),
                })
                .collect();
            vec![
                ("reference", s(reference)),
                ("tags", s(&tags.join(", "))),
                ("count", FluentValue::from(changed.len())),
            ]
        }
        Error::PlaceholderLeft {
            reference,
            placeholder,
            cause,
        } => vec![
            ("reference", s(reference)),
            ("placeholder", s(placeholder.as_str())),
            ("reason", s(&describe(cause))),
        ],
        _ => Vec::new(),
    }
}
