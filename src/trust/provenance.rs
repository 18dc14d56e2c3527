//! SLSA provenance (predicate types `https://slsa.dev/provenance/v0.2` and `…/v1`), read
//! into what a person asks first: which builder, from which source repository and revision,
//! through which entry point, with which build arguments. Both versions and `BuildKit`'s own
//! additions (its `vcs` metadata, its `args`) are read; missing fields stay empty.

use super::ReadError;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub const SLSA_V02: &str = "https://slsa.dev/provenance/v0.2";
pub const SLSA_V1: &str = "https://slsa.dev/provenance/v1";

/// Is `predicate_type` SLSA provenance?
#[must_use]
pub fn is_provenance_predicate(predicate_type: &str) -> bool {
    predicate_type.starts_with("https://slsa.dev/provenance/")
}

/// What a provenance says, in one shape for both versions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Provenance {
    pub predicate_type: String,
    pub builder: Option<String>,
    pub source: Option<String>,
    pub revision: Option<String>,
    pub entry_point: Option<String>,
    pub build_args: BTreeMap<String, String>,
}

/// Reads the provenance of the statement in `statement` (already out of any envelope).
pub fn parse(statement: &[u8], what: &str) -> Result<Provenance, ReadError> {
    let v: Value = serde_json::from_slice(statement).map_err(|e| ReadError::NotJson {
        what: what.to_owned(),
        reason: e.to_string(),
    })?;
    let predicate_type = text(&v, "/predicateType").unwrap_or_default();
    let p = v.get("predicate").cloned().unwrap_or(Value::Null);
    let mut out = Provenance {
        predicate_type: predicate_type.clone(),
        ..Provenance::default()
    };
    if predicate_type.starts_with(SLSA_V1) {
        out.builder = text(&p, "/runDetails/builder/id");
        let ext = p.pointer("/buildDefinition/externalParameters");
        let ext = ext.unwrap_or(&Value::Null);
        out.source = text(ext, "/configSource/uri")
            .or_else(|| text(ext, "/workflow/repository"))
            .or_else(|| text(&p, "/runDetails/metadata/buildkit_metadata/vcs/source"))
            .or_else(|| text(&p, "/buildDefinition/resolvedDependencies/0/uri"));
        out.revision = text(ext, "/configSource/digest/sha1")
            .or_else(|| text(&p, "/runDetails/metadata/buildkit_metadata/vcs/revision"))
            .or_else(|| {
                text(
                    &p,
                    "/buildDefinition/resolvedDependencies/0/digest/gitCommit",
                )
            })
            .or_else(|| text(&p, "/buildDefinition/resolvedDependencies/0/digest/sha1"));
        out.entry_point = text(ext, "/configSource/path")
            .or_else(|| text(ext, "/workflow/path"))
            .or_else(|| text(&p, "/buildDefinition/buildType"));
        out.build_args = strings(
            ext.pointer("/request/args")
                .or_else(|| ext.pointer("/inputs")),
        );
    } else {
        out.builder = text(&p, "/builder/id");
        out.source = text(&p, "/invocation/configSource/uri")
            .or_else(|| {
                text(
                    &p,
                    "/metadata/https:~1~1mobyproject.org~1buildkit@v1#metadata/vcs/source",
                )
            })
            .or_else(|| text(&p, "/materials/0/uri"));
        out.revision = text(&p, "/invocation/configSource/digest/sha1")
            .or_else(|| {
                text(
                    &p,
                    "/metadata/https:~1~1mobyproject.org~1buildkit@v1#metadata/vcs/revision",
                )
            })
            .or_else(|| text(&p, "/materials/0/digest/sha1"));
        out.entry_point = text(&p, "/invocation/configSource/entryPoint");
        out.build_args = strings(
            p.pointer("/invocation/parameters/args")
                .or_else(|| p.pointer("/invocation/parameters")),
        );
    }
    Ok(out)
}

fn text(v: &Value, pointer: &str) -> Option<String> {
    match v.pointer(pointer)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// A JSON object's string (or scalar) members; nested objects are written as JSON.
fn strings(v: Option<&Value>) -> BTreeMap<String, String> {
    let Some(Value::Object(map)) = v else {
        return BTreeMap::new();
    };
    map.iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildkit_v02_and_github_v1() {
        let v02 = br#"{"predicateType":"https://slsa.dev/provenance/v0.2","predicate":{
          "builder":{"id":"https://github.com/actions/runner"},
          "invocation":{"configSource":{"uri":"https://github.com/a/b.git#main","digest":{"sha1":"abc"},"entryPoint":"Dockerfile"},
            "parameters":{"frontend":"dockerfile.v0","args":{"build-arg:V":"1"}}}}}"#;
        let p = parse(v02, "t").unwrap();
        assert_eq!(
            p.builder.as_deref(),
            Some("https://github.com/actions/runner")
        );
        assert_eq!(p.source.as_deref(), Some("https://github.com/a/b.git#main"));
        assert_eq!(p.revision.as_deref(), Some("abc"));
        assert_eq!(p.entry_point.as_deref(), Some("Dockerfile"));
        assert_eq!(
            p.build_args.get("build-arg:V").map(String::as_str),
            Some("1")
        );

        let v1 = br#"{"predicateType":"https://slsa.dev/provenance/v1","predicate":{
          "buildDefinition":{"buildType":"https://actions.github.io/buildtypes/workflow/v1",
            "externalParameters":{"workflow":{"repository":"https://github.com/a/b","path":".github/workflows/r.yml"}},
            "resolvedDependencies":[{"uri":"git+https://github.com/a/b@refs/heads/main","digest":{"gitCommit":"def"}}]},
          "runDetails":{"builder":{"id":"https://github.com/actions/runner/github-hosted"}}}}"#;
        let p = parse(v1, "t").unwrap();
        assert_eq!(p.source.as_deref(), Some("https://github.com/a/b"));
        assert_eq!(p.revision.as_deref(), Some("def"));
        assert_eq!(p.entry_point.as_deref(), Some(".github/workflows/r.yml"));
    }
}
