//! Authentication: secrets that never print, `WWW-Authenticate` challenges, and bearer tokens
//! fetched for exactly the scopes an operation needs, cached per host and scope set.

use super::error::{Error, Result};
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::time::{Duration, Instant};

/// A password or token. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    #[must_use]
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    /// The secret itself, for the one place that must send it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// What we can present to a registry.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Credentials {
    #[default]
    Anonymous,
    Basic {
        username: String,
        password: Secret,
    },
    /// An `OAuth2` refresh token (`identitytoken` in Docker's config.json).
    IdentityToken(Secret),
}

impl Credentials {
    #[must_use]
    pub fn is_anonymous(&self) -> bool {
        matches!(self, Self::Anonymous)
    }

    pub(crate) fn basic_header(&self) -> Option<String> {
        use base64::Engine as _;
        match self {
            Self::Basic { username, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{}", password.expose()))
            )),
            _ => None,
        }
    }
}

/// A parsed `WWW-Authenticate` challenge we know how to answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Challenge {
    Basic {
        realm: String,
    },
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
        /// `insufficient_scope` and friends.
        error: Option<String>,
    },
}

impl Challenge {
    /// Parses a header value; picks Bearer over Basic when both are offered.
    #[must_use]
    pub fn parse(header: &str) -> Option<Self> {
        let challenges = http_auth::parse_challenges(header).ok()?;
        let param = |c: &http_auth::ChallengeRef<'_>, name: &str| {
            c.params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_unescaped())
        };
        let mut basic = None;
        for c in &challenges {
            if c.scheme.eq_ignore_ascii_case("bearer") {
                return Some(Self::Bearer {
                    realm: param(c, "realm")?,
                    service: param(c, "service"),
                    scope: param(c, "scope"),
                    error: param(c, "error"),
                });
            }
            if c.scheme.eq_ignore_ascii_case("basic") {
                basic = Some(Self::Basic {
                    realm: param(c, "realm").unwrap_or_default(),
                });
            }
        }
        basic
    }
}

/// The scope a repository operation needs.
#[must_use]
pub fn repository_scope(repository: &str, actions: &str) -> String {
    format!("repository:{repository}:{actions}")
}

pub const CATALOG_SCOPE: &str = "registry:catalog:*";

/// Merges scopes, combining the actions of equal resources (`repository:a:pull` plus
/// `repository:a:push` gives `repository:a:pull,push`).
#[must_use]
pub fn merge_scopes<'a>(scopes: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut by_resource: std::collections::BTreeMap<String, BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for scope in scopes.into_iter().flat_map(str::split_whitespace) {
        let Some((resource, actions)) = scope.rsplit_once(':') else {
            continue;
        };
        by_resource
            .entry(resource.to_owned())
            .or_default()
            .extend(actions.split(',').map(str::to_owned));
    }
    by_resource
        .into_iter()
        .map(|(r, a)| format!("{r}:{}", a.into_iter().collect::<Vec<_>>().join(",")))
        .collect()
}

#[derive(Clone)]
struct Token {
    value: Secret,
    expires_at: Instant,
}

/// Tokens keyed by scope set. A token is renewed when less than this is left, so a request
/// never starts with a token that expires on its way.
const RENEW_MARGIN: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct TokenCache {
    tokens: HashMap<BTreeSet<String>, Token>,
}

impl TokenCache {
    pub(crate) fn get(&self, scopes: &BTreeSet<String>) -> Option<Secret> {
        let t = self.tokens.get(scopes)?;
        (t.expires_at > Instant::now() + RENEW_MARGIN).then(|| t.value.clone())
    }

    pub(crate) fn put(&mut self, scopes: BTreeSet<String>, value: Secret, ttl: Duration) {
        self.tokens.insert(
            scopes,
            Token {
                value,
                expires_at: Instant::now() + ttl,
            },
        );
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    token: Option<String>,
    access_token: Option<String>,
    expires_in: Option<u64>,
}

/// Fetches a token from the challenge's realm for `scopes`: with basic credentials when we
/// have them, anonymously otherwise, or by `OAuth2` refresh token.
pub(crate) async fn fetch_token(
    http: &reqwest::Client,
    realm: &str,
    service: Option<&str>,
    scopes: &BTreeSet<String>,
    credentials: &Credentials,
    deadline: Duration,
) -> Result<(Secret, Duration)> {
    let fail = |reason: String| Error::TokenFailed {
        realm: realm.to_owned(),
        reason,
    };
    let request = if let Credentials::IdentityToken(refresh) = credentials {
        let mut form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", refresh.expose().to_owned()),
            ("client_id", "berth".to_owned()),
        ];
        if let Some(s) = service {
            form.push(("service", s.to_owned()));
        }
        let scope = scopes.iter().cloned().collect::<Vec<_>>().join(" ");
        if !scope.is_empty() {
            form.push(("scope", scope));
        }
        http.post(realm).form(&form)
    } else {
        let mut query: Vec<(&str, &str)> = Vec::new();
        if let Some(s) = service {
            query.push(("service", s));
        }
        for s in scopes {
            query.push(("scope", s));
        }
        let mut req = http.get(realm).query(&query);
        if let Some(h) = credentials.basic_header() {
            req = req.header(reqwest::header::AUTHORIZATION, h);
        }
        req
    };
    let resp = request.timeout(deadline).send().await.map_err(|e| {
        if e.is_timeout() && !e.is_connect() {
            Error::Stalled {
                registry: realm.to_owned(),
                what: "token".to_owned(),
            }
        } else {
            fail(super::transport::error_chain(&e))
        }
    })?;
    let status = resp.status();
    if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
        return Err(Error::Unauthorized {
            registry: realm.to_owned(),
            codes: Vec::new(),
        });
    }
    if !status.is_success() {
        return Err(fail(format!("HTTP {}", status.as_u16())));
    }
    let body = super::body::read_capped(resp, super::body::MAX_TOKEN_BODY, deadline).await;
    if body.stalled {
        return Err(Error::Stalled {
            registry: realm.to_owned(),
            what: "token".to_owned(),
        });
    }
    if body.truncated {
        return Err(fail("token response is too large".to_owned()));
    }
    let body: TokenResponse = serde_json::from_slice(&body.bytes)
        .map_err(|e| fail(format!("invalid token response: {e}")))?;
    let Some(token) = body.token.or(body.access_token).filter(|t| !t.is_empty()) else {
        return Err(fail("response has no token".to_owned()));
    };
    // The spec's default lifetime is 60 s when the server does not say.
    let ttl = Duration::from_secs(body.expires_in.unwrap_or(60).max(1));
    Ok((Secret::new(token), ttl))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_with_scope_and_error() {
        let c = Challenge::parse(
            r#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull",error="insufficient_scope""#,
        )
        .unwrap();
        assert_eq!(
            c,
            Challenge::Bearer {
                realm: "https://auth.example.com/token".into(),
                service: Some("registry.example.com".into()),
                scope: Some("repository:a/b:pull".into()),
                error: Some("insufficient_scope".into()),
            }
        );
    }

    #[test]
    fn parses_basic_and_prefers_bearer() {
        assert_eq!(
            Challenge::parse(r#"Basic realm="basic-realm""#),
            Some(Challenge::Basic {
                realm: "basic-realm".into()
            })
        );
        let both = Challenge::parse(r#"Basic realm="x", Bearer realm="https://t/token""#).unwrap();
        assert!(matches!(both, Challenge::Bearer { .. }));
        assert_eq!(Challenge::parse("Negotiate"), None);
        assert_eq!(Challenge::parse(""), None);
    }

    #[test]
    fn scopes_merge_actions_per_resource() {
        let merged = merge_scopes([
            "repository:a:pull",
            "repository:a:push",
            "registry:catalog:*",
            "repository:b:pull repository:a:pull",
        ]);
        assert_eq!(
            merged.into_iter().collect::<Vec<_>>(),
            vec![
                "registry:catalog:*",
                "repository:a:pull,push",
                "repository:b:pull"
            ]
        );
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let c = Credentials::Basic {
            username: "alice".into(),
            password: Secret::new("hunter2"),
        };
        let shown = format!("{c:?}");
        assert!(shown.contains("alice"));
        assert!(!shown.contains("hunter2"));
        assert!(
            !format!("{:?}", Credentials::IdentityToken(Secret::new("tok123"))).contains("tok123")
        );
    }

    #[test]
    fn token_cache_respects_expiry() {
        let mut cache = TokenCache::default();
        let key: BTreeSet<String> = ["repository:a:pull".to_owned()].into();
        cache.put(key.clone(), Secret::new("t"), Duration::from_mins(5));
        assert!(cache.get(&key).is_some());
        cache.put(key.clone(), Secret::new("t"), Duration::from_secs(10));
        assert!(
            cache.get(&key).is_none(),
            "a token about to expire is renewed"
        );
    }
}
