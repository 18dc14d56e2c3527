//! SBOMs in one shape: SPDX 2.x JSON and `CycloneDX` 1.4+ JSON, bare or wrapped in an in-toto
//! statement (`BuildKit`'s attestations, `cosign attest`) or a DSSE envelope around one, read
//! into a list of packages (name, version, type or ecosystem, licence, PURL). The document is
//! deserialised into the few fields Berth shows, never into a generic JSON tree, so a 64 MB
//! document costs little more than its packages.

use super::ReadError;
use serde::{Deserialize, Serialize};

/// The largest SBOM Berth reads; a bigger one is refused with an error naming this cap.
pub const MAX_SBOM_BYTES: u64 = 64 * 1024 * 1024;

/// Media types of SBOM documents (`text/spdx+json` is what `cosign attach sbom` writes).
pub const SPDX_MEDIA_TYPES: [&str; 2] = ["application/spdx+json", "text/spdx+json"];
pub const CYCLONEDX_MEDIA_TYPE: &str = "application/vnd.cyclonedx+json";
/// in-toto predicate types of SBOMs.
pub const SPDX_PREDICATE: &str = "https://spdx.dev/Document";
pub const CYCLONEDX_PREDICATE: &str = "https://cyclonedx.org/bom";

/// Is `media_type` an SBOM document Berth reads?
#[must_use]
pub fn is_sbom_media_type(media_type: &str) -> bool {
    SPDX_MEDIA_TYPES.contains(&media_type) || media_type == CYCLONEDX_MEDIA_TYPE
}

/// Is `predicate_type` an SBOM (`https://spdx.dev/Document`, possibly with a version suffix,
/// or `https://cyclonedx.org/bom`)?
#[must_use]
pub fn is_sbom_predicate(predicate_type: &str) -> bool {
    predicate_type.starts_with(SPDX_PREDICATE) || predicate_type.starts_with(CYCLONEDX_PREDICATE)
}

/// Which standard a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SbomFormat {
    Spdx,
    CycloneDx,
}

impl SbomFormat {
    /// The stable name `--json` prints.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spdx => "spdx",
            Self::CycloneDx => "cyclonedx",
        }
    }
}

/// One package, whatever the format said it in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Package {
    pub name: String,
    pub version: Option<String>,
    /// The PURL's type (`npm`, `deb`, `golang`) when there is one, else the document's own
    /// kind (`library`, `APPLICATION`).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub license: Option<String>,
    pub purl: Option<String>,
}

/// A read SBOM: its format, the spec version it names, and its packages in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sbom {
    pub format: SbomFormat,
    #[serde(skip)]
    pub spec_version: String,
    pub packages: Vec<Package>,
}

/// Every top-level field Berth looks at, of any of the shapes it reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    spdx_version: Option<String>,
    #[serde(default)]
    packages: Vec<SpdxPackage>,
    bom_format: Option<String>,
    spec_version: Option<String>,
    #[serde(default)]
    components: Vec<CdxComponent>,
    predicate_type: Option<String>,
    predicate: Option<Box<Probe>>,
    payload: Option<String>,
    payload_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxPackage {
    #[serde(default)]
    name: String,
    version_info: Option<String>,
    license_concluded: Option<String>,
    license_declared: Option<String>,
    primary_package_purpose: Option<String>,
    #[serde(default)]
    external_refs: Vec<SpdxRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxRef {
    reference_type: Option<String>,
    reference_locator: Option<String>,
}

#[derive(Deserialize)]
struct CdxComponent {
    #[serde(default)]
    name: String,
    version: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    purl: Option<String>,
    #[serde(default)]
    licenses: Vec<CdxLicenseChoice>,
    #[serde(default)]
    components: Vec<CdxComponent>,
}

#[derive(Deserialize)]
struct CdxLicenseChoice {
    license: Option<CdxLicense>,
    expression: Option<String>,
}

#[derive(Deserialize)]
struct CdxLicense {
    id: Option<String>,
    name: Option<String>,
}

/// Reads `bytes` as an SBOM: SPDX or `CycloneDX` JSON, bare, as an in-toto statement's
/// predicate, or inside a DSSE envelope. `what` names the document in errors.
pub fn parse(bytes: &[u8], what: &str) -> Result<Sbom, ReadError> {
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| ReadError::NotJson {
        what: what.to_owned(),
        reason: e.to_string(),
    })?;
    from_probe(probe, what, 0)
}

fn from_probe(probe: Probe, what: &str, depth: u8) -> Result<Sbom, ReadError> {
    if let Some(spec_version) = probe.spdx_version {
        return Ok(Sbom {
            format: SbomFormat::Spdx,
            spec_version,
            packages: probe.packages.into_iter().map(spdx_package).collect(),
        });
    }
    if probe.bom_format.as_deref() == Some("CycloneDX") {
        let mut packages = Vec::new();
        let mut stack: Vec<CdxComponent> = probe.components.into_iter().rev().collect();
        while let Some(mut c) = stack.pop() {
            stack.extend(std::mem::take(&mut c.components).into_iter().rev());
            packages.push(cdx_package(c));
        }
        return Ok(Sbom {
            format: SbomFormat::CycloneDx,
            spec_version: probe.spec_version.unwrap_or_default(),
            packages,
        });
    }
    // A statement or an envelope holds the document one level down; two levels at most.
    if depth < 2 {
        if let Some(predicate) = probe.predicate {
            let kind = probe.predicate_type.unwrap_or_default();
            if !is_sbom_predicate(&kind) {
                return Err(ReadError::NotSbom {
                    what: what.to_owned(),
                    found: kind,
                });
            }
            return from_probe(*predicate, what, depth + 1);
        }
        if let (Some(payload), Some(_)) = (probe.payload, probe.payload_type) {
            let statement = super::attestations::decode_payload(&payload, what)?;
            let inner: Probe =
                serde_json::from_slice(&statement).map_err(|e| ReadError::NotJson {
                    what: what.to_owned(),
                    reason: e.to_string(),
                })?;
            return from_probe(inner, what, depth + 1);
        }
    }
    Err(ReadError::NotSbom {
        what: what.to_owned(),
        found: String::new(),
    })
}

/// SPDX writes `NOASSERTION` and `NONE` where it knows nothing.
fn known(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty() && v != "NOASSERTION" && v != "NONE")
}

/// The type of a PURL: `pkg:TYPE/…`.
fn purl_type(purl: &str) -> Option<String> {
    let rest = purl.strip_prefix("pkg:")?;
    let end = rest.find('/')?;
    Some(rest[..end].to_owned())
}

fn spdx_package(p: SpdxPackage) -> Package {
    let purl = p
        .external_refs
        .into_iter()
        .find(|r| r.reference_type.as_deref() == Some("purl"))
        .and_then(|r| r.reference_locator);
    let kind = purl
        .as_deref()
        .and_then(purl_type)
        .or(p.primary_package_purpose);
    Package {
        name: p.name,
        version: known(p.version_info),
        kind,
        license: known(p.license_concluded).or_else(|| known(p.license_declared)),
        purl,
    }
}

fn cdx_package(c: CdxComponent) -> Package {
    let license = c
        .licenses
        .into_iter()
        .filter_map(|l| {
            l.expression
                .or_else(|| l.license.and_then(|l| l.id.or(l.name)))
        })
        .collect::<Vec<_>>();
    let kind = c.purl.as_deref().and_then(purl_type).or(c.kind);
    Package {
        name: c.name,
        version: c.version.filter(|v| !v.is_empty()),
        kind,
        license: (!license.is_empty()).then(|| license.join(" AND ")),
        purl: c.purl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx_packages_normalise() {
        let doc = br#"{"spdxVersion":"SPDX-2.3","packages":[
            {"name":"musl","versionInfo":"1.2.4","licenseConcluded":"MIT",
             "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl",
               "referenceLocator":"pkg:apk/alpine/musl@1.2.4"}]},
            {"name":"x","versionInfo":"NOASSERTION","licenseConcluded":"NOASSERTION",
             "licenseDeclared":"Apache-2.0"}]}"#;
        let s = parse(doc, "t").unwrap();
        assert_eq!(s.format, SbomFormat::Spdx);
        assert_eq!(s.packages[0].kind.as_deref(), Some("apk"));
        assert_eq!(s.packages[0].license.as_deref(), Some("MIT"));
        assert_eq!(s.packages[1].version, None);
        assert_eq!(s.packages[1].license.as_deref(), Some("Apache-2.0"));
    }

    #[test]
    fn cyclonedx_nested_components_and_statement() {
        let doc = br#"{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://cyclonedx.org/bom",
          "predicate":{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
            {"type":"library","name":"a","version":"1","licenses":[{"license":{"id":"MIT"}}],
             "components":[{"type":"library","name":"b","purl":"pkg:npm/b@2"}]},
            {"type":"library","name":"c","licenses":[{"expression":"MIT OR GPL-2.0"}]}]}}"#;
        let s = parse(doc, "t").unwrap();
        let names: Vec<_> = s.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(s.packages[1].kind.as_deref(), Some("npm"));
        assert_eq!(s.packages[2].license.as_deref(), Some("MIT OR GPL-2.0"));
    }

    #[test]
    fn other_json_is_not_an_sbom() {
        assert!(matches!(
            parse(br#"{"hello":"world"}"#, "t"),
            Err(ReadError::NotSbom { .. })
        ));
        assert!(matches!(parse(b"[1,", "t"), Err(ReadError::NotJson { .. })));
        assert!(matches!(
            parse(
                br#"{"predicateType":"https://slsa.dev/provenance/v1","predicate":{}}"#,
                "t"
            ),
            Err(ReadError::NotSbom { found, .. }) if found == "https://slsa.dev/provenance/v1"
        ));
    }
}
