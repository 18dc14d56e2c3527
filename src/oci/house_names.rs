//! The house rule that names are parsed only here (ARCHITECTURE.md): every `.rs` file under
//! `src/` outside `src/oci/` is scanned for the default tag spelled out, Docker Hub's
//! `library/` namespace, and hand splitting of `repo:tag` or `repo@digest`. Files are found
//! by walking the tree, so moved or renamed files stay covered.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What a reference split by hand looks like, and what spelling the defaults looks like.
/// Methods start with their `.`, so that `.split_once` is not found inside `.rsplit_once`.
const FORBIDDEN: &[&str] = &[
    "\"latest\"",
    "library/",
    ".rsplit_once(':')",
    ".split_once(':')",
    ".split_once('@')",
    ".rsplit_once('@')",
    ".split('@')",
    ".rsplit(':')",
    ".rfind(':')",
    ".find('@')",
    ".rfind('@')",
];

/// Lines that split a string which is not an image reference, with the reason. Each entry
/// is `(pattern, text the line must also contain)`.
const ALLOWED: &[(&str, &str)] = &[
    // A token scope is `repository:NAME:ACTIONS`; the actions follow its last `:`.
    (".rsplit_once(':')", "scope.rsplit_once(':')"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `file:line: text` for every forbidden pattern in code outside `src/oci/`, ignoring `//`
/// comment lines and everything from a file's first `#[cfg(test)]` on.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let oci = src.join("oci");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&oci)) {
        let Ok(text) = std::fs::read_to_string(file) else {
            panic!("cannot read {}", file.display());
        };
        for (n, line) in text.lines().enumerate() {
            if line.contains("#[cfg(test)]") {
                break;
            }
            if line.trim_start().starts_with("//") {
                continue;
            }
            for pattern in FORBIDDEN.iter().filter(|p| line.contains(**p)) {
                let allowed = ALLOWED
                    .iter()
                    .any(|(p, context)| p == pattern && line.contains(context));
                if !allowed {
                    let shown = file.strip_prefix(src).unwrap_or(file);
                    found.push(format!(
                        "src/{}:{}: {pattern} in `{}`",
                        shown.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn names_are_split_only_in_oci() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    let mut report = String::new();
    for v in &found {
        let _ = writeln!(report, "{v}");
    }
    assert!(
        found.is_empty(),
        "parse names with the types in src/oci/ (RegistryRef, Repository, Reference, \
         ImageName, DEFAULT_TAG) instead:\n{report}"
    );
}

#[test]
fn the_scanner_finds_what_it_forbids() {
    let dir = std::env::temp_dir().join(format!("berth-house-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("oci")).unwrap();
    std::fs::create_dir_all(dir.join("ui")).unwrap();
    std::fs::write(
        dir.join("ui/view.rs"),
        "fn a(s: &str) {\n    // a comment may say \"latest\"\n    let _ = s.rsplit_once(':');\n    \
         let _ = scope.rsplit_once(':');\n}\n#[cfg(test)]\nconst T: &str = \"latest\";\n",
    )
    .unwrap();
    std::fs::write(dir.join("oci/name.rs"), "const D: &str = \"latest\";\n").unwrap();
    let found = violations(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("src/ui/view.rs:3:"), "{found:?}");
}
