//! Comparing two images from any sources: their configs (env, cmd, entrypoint, labels, user,
//! ports, workdir), their layers (shared by digest, only in A, only in B) and their final
//! filesystems (paths added, removed, or changed), with the bytes involved.
//!
//! A path present in both is *changed* when its type, content, mode, owner or link target
//! differs. Content is a file's SHA-256, taken while its layer was read, so a file rewritten
//! to the same size (a `VERSION` holding `v1`, then `v2`) counts; a file's modification time
//! alone does not (every rebuild touches it). See ARCHITECTURE.md, layers.

use super::entry::EntryKind;
use super::tree::{FileTree, Node, NodeId};
use crate::oci::Digest;
use crate::oci::image::{ImageConfig, LayerInfo};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct ImageDiff {
    pub config: Vec<ConfigChange>,
    pub layers: LayerDiff,
    pub files: FileDiff,
}

/// One difference in the configs. For maps (env, labels) and sets (ports) `key` names the
/// entry; `a`/`b` are the values (`None`: absent on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigChange {
    pub field: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub a: Option<String>,
    pub b: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerRef {
    /// Index of the layer in its image.
    pub index: usize,
    pub digest: Digest,
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LayerDiff {
    /// Layers in both images, as `(in A, in B)`.
    pub shared: Vec<(LayerRef, LayerRef)>,
    pub only_a: Vec<LayerRef>,
    pub only_b: Vec<LayerRef>,
    pub shared_bytes: u64,
    pub only_a_bytes: u64,
    pub only_b_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileChangeKind {
    Added,
    Removed,
    Changed,
}

/// What differs in a changed path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difference {
    Type,
    Size,
    /// The file's bytes differ (their SHA-256 does), whatever their size.
    Content,
    Mode,
    Owner,
    Link,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSide {
    #[serde(rename = "type")]
    pub kind: EntryKind,
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_target: Option<String>,
    /// Hex SHA-256 of a file's data (files only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    pub path: String,
    pub change: FileChangeKind,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<Difference>,
    pub a: Option<FileSide>,
    pub b: Option<FileSide>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    /// Every differing path, in path order (a directory before what is below it).
    pub changes: Vec<FileChange>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    /// File bytes only in B, only in A, and of the changed files on each side.
    pub added_bytes: u64,
    pub removed_bytes: u64,
    pub changed_bytes_a: u64,
    pub changed_bytes_b: u64,
}

/// Compares two images: `tree_a`/`tree_b` are their merged trees ([`super::merge`]).
#[must_use]
pub fn diff_images(
    config_a: Option<&ImageConfig>,
    layers_a: &[LayerInfo],
    tree_a: &FileTree,
    config_b: Option<&ImageConfig>,
    layers_b: &[LayerInfo],
    tree_b: &FileTree,
) -> ImageDiff {
    let empty = ImageConfig::default();
    ImageDiff {
        config: diff_config(config_a.unwrap_or(&empty), config_b.unwrap_or(&empty)),
        layers: diff_layers(layers_a, layers_b),
        files: diff_files(tree_a, tree_b),
    }
}

#[must_use]
pub fn diff_config(a: &ImageConfig, b: &ImageConfig) -> Vec<ConfigChange> {
    let (a, b) = (&a.config, &b.config);
    let mut out = Vec::new();
    let scalar = |out: &mut Vec<ConfigChange>, field, x: String, y: String| {
        if x != y {
            out.push(ConfigChange {
                field,
                key: None,
                a: (!x.is_empty()).then_some(x),
                b: (!y.is_empty()).then_some(y),
            });
        }
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            String::new()
        } else {
            serde_json::to_string(v).unwrap_or_default()
        }
    };
    scalar(
        &mut out,
        "entrypoint",
        list(&a.entrypoint),
        list(&b.entrypoint),
    );
    scalar(&mut out, "cmd", list(&a.cmd), list(&b.cmd));
    scalar(&mut out, "user", a.user.clone(), b.user.clone());
    scalar(
        &mut out,
        "workdir",
        a.working_dir.clone(),
        b.working_dir.clone(),
    );
    let env = |v: &[String]| -> BTreeMap<String, String> {
        v.iter()
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (kv.clone(), String::new()),
            })
            .collect()
    };
    keyed(&mut out, "env", &env(&a.env), &env(&b.env));
    keyed(&mut out, "labels", &a.labels, &b.labels);
    let ports = |v: &[String]| -> BTreeMap<String, String> {
        v.iter().map(|p| (p.clone(), p.clone())).collect()
    };
    keyed(
        &mut out,
        "ports",
        &ports(&a.exposed_ports),
        &ports(&b.exposed_ports),
    );
    out
}

fn keyed(
    out: &mut Vec<ConfigChange>,
    field: &'static str,
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
) {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        let (x, y) = (a.get(k), b.get(k));
        if x != y {
            out.push(ConfigChange {
                field,
                key: Some(k.clone()),
                a: x.cloned(),
                b: y.cloned(),
            });
        }
    }
}

/// Pairs layers by digest, in order: the n-th copy of a digest in A pairs with the n-th in B.
#[must_use]
pub fn diff_layers(layers_a: &[LayerInfo], layers_b: &[LayerInfo]) -> LayerDiff {
    let (a, b) = (layers_a, layers_b);
    let mut unmatched_b: BTreeMap<&Digest, Vec<usize>> = BTreeMap::new();
    for (i, l) in b.iter().enumerate().rev() {
        unmatched_b.entry(&l.digest).or_default().push(i);
    }
    let layer_ref = |index: usize, l: &LayerInfo| LayerRef {
        index,
        digest: l.digest.clone(),
        size: l.size,
    };
    let mut d = LayerDiff::default();
    let mut matched_b = vec![false; b.len()];
    for (i, l) in a.iter().enumerate() {
        if let Some(j) = unmatched_b.get_mut(&l.digest).and_then(Vec::pop) {
            matched_b[j] = true;
            d.shared_bytes += l.size;
            d.shared.push((layer_ref(i, l), layer_ref(j, &b[j])));
        } else {
            d.only_a_bytes += l.size;
            d.only_a.push(layer_ref(i, l));
        }
    }
    for (j, l) in b.iter().enumerate() {
        if !matched_b[j] {
            d.only_b_bytes += l.size;
            d.only_b.push(layer_ref(j, l));
        }
    }
    d
}

/// Compares the present paths of two trees (removed nodes are ignored) in one merge-join
/// walk over their name-sorted children.
#[must_use]
pub fn diff_files(tree_a: &FileTree, tree_b: &FileTree) -> FileDiff {
    let (a, b) = (tree_a, tree_b);
    let mut out = FileDiff::default();
    let mut stack = vec![(FileTree::ROOT, FileTree::ROOT)];
    while let Some((na, nb)) = stack.pop() {
        let ka: Vec<NodeId> = present(a, na);
        let kb: Vec<NodeId> = present(b, nb);
        let (mut ia, mut ib) = (0, 0);
        // Collected per directory, then pushed in reverse so the walk stays in path order.
        let mut descend = Vec::new();
        while ia < ka.len() || ib < kb.len() {
            let ord = match (ka.get(ia), kb.get(ib)) {
                (Some(xa), Some(xb)) => a.name(*xa).cmp(b.name(*xb)),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match ord {
                std::cmp::Ordering::Less => {
                    subtree(a, ka[ia], FileChangeKind::Removed, &mut out);
                    ia += 1;
                }
                std::cmp::Ordering::Greater => {
                    subtree(b, kb[ib], FileChangeKind::Added, &mut out);
                    ib += 1;
                }
                std::cmp::Ordering::Equal => {
                    let (node_a, node_b) = (ka[ia], kb[ib]);
                    let diffs = differences(a, node_a, b, node_b);
                    if !diffs.is_empty() {
                        let (side_a, side_b) = (side(a, node_a), side(b, node_b));
                        if a.node(node_a).kind == EntryKind::File
                            || b.node(node_b).kind == EntryKind::File
                        {
                            out.changed_bytes_a += side_a.size;
                            out.changed_bytes_b += side_b.size;
                        }
                        out.changed += 1;
                        out.changes.push(FileChange {
                            path: a.path_display(node_a),
                            change: FileChangeKind::Changed,
                            differences: diffs,
                            a: Some(side_a),
                            b: Some(side_b),
                        });
                    }
                    if a.node(node_a).is_dir() && b.node(node_b).is_dir() {
                        descend.push((node_a, node_b));
                    } else {
                        // A type change: what was below the old directory is gone, what is
                        // below the new one is new.
                        for c in present(a, node_a) {
                            subtree(a, c, FileChangeKind::Removed, &mut out);
                        }
                        for c in present(b, node_b) {
                            subtree(b, c, FileChangeKind::Added, &mut out);
                        }
                    }
                    ia += 1;
                    ib += 1;
                }
            }
        }
        stack.extend(descend.into_iter().rev());
    }
    // Component-wise, so a directory comes right before what is below it.
    out.changes
        .sort_by(|p, q| p.path.split('/').cmp(q.path.split('/')));
    out
}

fn present(t: &FileTree, id: NodeId) -> Vec<NodeId> {
    t.children(id)
        .iter()
        .copied()
        .filter(|c| !t.node(*c).is_removed())
        .collect()
}

fn subtree(tree: &FileTree, id: NodeId, change: FileChangeKind, out: &mut FileDiff) {
    let mut stack = vec![id];
    while let Some(cur) = stack.pop() {
        let meta = side(tree, cur);
        let path = tree.path_display(cur);
        let added = change == FileChangeKind::Added;
        if added {
            out.added += 1;
            out.added_bytes += meta.size;
        } else {
            out.removed += 1;
            out.removed_bytes += meta.size;
        }
        let (a, b) = if added {
            (None, Some(meta))
        } else {
            (Some(meta), None)
        };
        out.changes.push(FileChange {
            path,
            change,
            differences: Vec::new(),
            a,
            b,
        });
        stack.extend(present(tree, cur).into_iter().rev());
    }
}

fn differences(tree_a: &FileTree, x: NodeId, tree_b: &FileTree, y: NodeId) -> Vec<Difference> {
    let (p, q): (&Node, &Node) = (tree_a.node(x), tree_b.node(y));
    let mut out = Vec::new();
    if p.kind != q.kind {
        out.push(Difference::Type);
    }
    if p.size != q.size {
        out.push(Difference::Size);
    }
    // Only two files have content to compare; a type change is already reported above.
    if p.kind == q.kind && p.sha256 != q.sha256 {
        out.push(Difference::Content);
    }
    if p.mode != q.mode {
        out.push(Difference::Mode);
    }
    if (p.uid, p.gid) != (q.uid, q.gid) {
        out.push(Difference::Owner);
    }
    if tree_a.link_target(x) != tree_b.link_target(y) {
        out.push(Difference::Link);
    }
    out
}

fn side(t: &FileTree, id: NodeId) -> FileSide {
    let n = t.node(id);
    FileSide {
        kind: n.kind,
        size: n.size,
        mode: n.mode,
        uid: n.uid,
        gid: n.gid,
        link_target: t
            .link_target(id)
            .map(|l| super::entry::display_path(l).into_owned()),
        sha256: n.sha256.as_ref().map(super::entry::sha256_hex),
    }
}
