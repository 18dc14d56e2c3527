//! The merged filesystem: layers applied in order, as a runtime would, with whiteouts and
//! opaque directories, each path marked added, modified or removed by the layer that last
//! did so (a directory that replaced a lower layer's symlink or file also says which, in
//! `Node::replaced`); and the image's efficiency, computed on the way.
//!
//! **Wasted bytes** (exact definition): the sum of the sizes of the regular-file entries in
//! the layers whose bytes do not reach the final filesystem, because a later entry for the
//! same path replaced them (in a later layer, or later in the same layer), or a later layer
//! removed them (a whiteout, an opaque directory, or a non-directory put where a directory
//! above them was). Every file entry's bytes are either in the final filesystem or wasted,
//! exactly once, so `total_bytes == final bytes + wasted_bytes`. Sizes are tar sizes; a
//! hardlink entry carries no bytes, and a file's bytes count as wasted when its path is
//! removed even if a hardlink elsewhere still names them.
//!
//! **Efficiency score**: `(total_bytes - wasted_bytes) / total_bytes`, or 1.0 for an image
//! without file bytes: the share of the file bytes an image ships that it keeps. (dive
//! reports the bytes of every copy of a duplicated path, the surviving one included, and a
//! score from the smallest copy of each path; Berth counts only the copies that are lost.)

use super::builder::TreeBuilder;
use super::entry::{EntryKind, LayerListing};
use super::tree::{
    Change, FileTree, NodeId, Replaced, Whiteout, data_size, flags, split_parent, whiteout_of,
};
use serde::Serialize;

/// The merged tree and what the merge found.
#[derive(Debug, Clone)]
pub struct MergedImage {
    pub tree: FileTree,
    pub efficiency: Efficiency,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Efficiency {
    /// Sum of every regular-file entry's size over the layers merged.
    pub total_bytes: u64,
    /// See the module docs for the exact definition.
    pub wasted_bytes: u64,
    /// `(total - wasted) / total`; 1.0 when there are no file bytes.
    pub score: f64,
    /// Paths whose bytes were lost, largest first.
    pub wasted: Vec<WastedFile>,
}

/// One path whose bytes, in one or more layers, do not reach the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WastedFile {
    /// The path as text (see [`super::display_path`]).
    pub path: String,
    #[serde(skip)]
    pub node: NodeId,
    /// Bytes lost at this path, summed over its lost copies.
    pub bytes: u64,
    /// The layers whose copy was lost, in order (a layer appears once per lost copy).
    pub layers: Vec<u32>,
}

/// One lost copy, as the merge records it.
struct Loss {
    node: u32,
    bytes: u64,
    layer: u32,
}

/// Applies `layers` in order. The result's node `layer` fields are indexes into `layers`.
#[must_use]
pub fn merge<L: AsRef<LayerListing>>(layers: &[L]) -> MergedImage {
    let capacity = layers.iter().map(|l| l.as_ref().len()).sum();
    let mut m = Merger {
        b: TreeBuilder::new(capacity),
        losses: Vec::new(),
        total_bytes: 0,
    };
    for (i, listing) in layers.iter().enumerate() {
        m.apply(listing.as_ref(), i as u32);
    }
    m.finish()
}

/// The merged tree up to and including layer `upto`, keeping only what that layer changed
/// (and the directories above it): the "this layer only" view, coloured against the layers
/// below. A layer of whiteouts that hide nothing left (the layers below had already removed
/// those paths) still shows the removals it declares, never an empty view.
#[must_use]
pub fn layer_changes<L: AsRef<LayerListing>>(layers: &[L], upto: usize) -> FileTree {
    let end = (upto + 1).min(layers.len());
    let merged = merge(&layers[..end]);
    let layer = upto as u32;
    let changes = merged
        .tree
        .filter(|tree, id, _| tree.node(id).layer == layer);
    match layers.get(upto) {
        Some(listing) if changes.is_empty() => FileTree::from_listing(listing.as_ref(), layer)
            .filter(|tree, id, _| tree.node(id).has_flag(flags::WHITEOUT)),
        _ => changes,
    }
}

struct Merger {
    b: TreeBuilder,
    losses: Vec<Loss>,
    total_bytes: u64,
}

impl Merger {
    fn apply(&mut self, listing: &LayerListing, layer: u32) {
        self.b.forget_last_dir();
        // Whiteouts hide what the layers below have, wherever they sit in this layer's tar.
        for e in listing.iter() {
            let (parent_path, name) = split_parent(e.path());
            let Some(w) = whiteout_of(name) else { continue };
            let Some(dir) = self.find_dir(parent_path) else {
                continue;
            };
            match w {
                Whiteout::Opaque => {
                    let d = &mut self.b.nodes[dir as usize];
                    d.flags |= flags::OPAQUE;
                    if dir != 0 && d.layer != layer {
                        // Replacing a directory's contents changes the directory.
                        d.change = Change::Modified;
                        d.layer = layer;
                    }
                    let mut child = self.b.nodes[dir as usize].first_child;
                    while child != u32::MAX {
                        let next = self.b.nodes[child as usize].next_sibling;
                        self.remove(child, layer);
                        child = next;
                    }
                }
                Whiteout::Name(hidden) => {
                    if let Some(id) = self.b.lookup(dir, hidden) {
                        self.remove(id, layer);
                    }
                }
                Whiteout::Meta => {}
            }
        }
        for e in listing.iter() {
            let (parent_path, name) = split_parent(e.path());
            if whiteout_of(name).is_some() {
                continue;
            }
            if e.kind == EntryKind::File || e.kind == EntryKind::Other {
                self.total_bytes += e.size;
            }
            if name.is_empty() {
                self.b.set_root(&e);
                continue;
            }
            let parent = self.parent_dirs(parent_path, layer);
            let link = self.b.link_span(&e);
            let Some(id) = self.b.lookup(parent, name) else {
                let id = self.b.insert_new(parent, name, layer, Change::Added);
                let n = &mut self.b.nodes[id as usize];
                n.set_from(&e, link);
                n.flags &= !flags::IMPLICIT;
                continue;
            };
            let old = self.b.nodes[id as usize];
            // A directory declared where a lower layer's non-directory was replaces it.
            let replaced = if !old.is_removed() && !old.is_dir() && e.kind == EntryKind::Dir {
                Some(Replaced {
                    kind: old.kind,
                    layer: old.layer,
                })
            } else if old.layer == layer {
                old.replaced
            } else {
                None
            };
            let change = if old.is_removed() {
                // Removed by this very layer (an opaque directory, a whiteout) and put back:
                // the path existed below, so it is modified; removed earlier: added anew.
                if old.layer == layer {
                    Change::Modified
                } else {
                    Change::Added
                }
            } else if old.is_dir() && e.kind == EntryKind::Dir {
                if (old.mode, old.uid, old.gid) == (e.mode, e.uid, e.gid) {
                    // Layers re-declare their parent directories; that changes nothing.
                    let n = &mut self.b.nodes[id as usize];
                    n.mtime = e.mtime;
                    n.flags &= !flags::IMPLICIT;
                    continue;
                }
                if old.layer == layer {
                    old.change
                } else {
                    Change::Modified
                }
            } else {
                if old.is_dir() {
                    self.remove_children(id, layer);
                } else {
                    self.lose(id);
                }
                if old.layer == layer {
                    old.change
                } else {
                    Change::Modified
                }
            };
            let n = &mut self.b.nodes[id as usize];
            n.set_from(&e, link);
            n.change = change;
            n.layer = layer;
            n.replaced = replaced;
            n.flags &= !flags::IMPLICIT;
        }
    }

    /// The directory at `path` if it exists and is present.
    fn find_dir(&self, path: &[u8]) -> Option<u32> {
        let mut cur = 0;
        for part in super::tree::components(path) {
            cur = self.b.lookup(cur, part)?;
            let n = &self.b.nodes[cur as usize];
            if n.is_removed() || !n.is_dir() {
                return None;
            }
        }
        Some(cur)
    }

    /// Walks to `path`, creating missing directories and turning removed nodes or
    /// non-directories on the way into directories of this layer.
    fn parent_dirs(&mut self, path: &[u8], layer: u32) -> u32 {
        let dir = self.b.ensure_dirs(path, layer, Change::Added);
        // Fast path: the cached or freshly walked directory is a present directory, and so
        // (by construction) is everything above it.
        let n = &self.b.nodes[dir as usize];
        if n.is_dir() && !n.is_removed() && self.ancestors_present(dir) {
            return dir;
        }
        self.b.forget_last_dir();
        let mut cur = 0;
        for part in super::tree::components(path) {
            cur = self.b.child_or_insert(cur, part, layer, Change::Added);
            let n = self.b.nodes[cur as usize];
            if n.is_removed() || !n.is_dir() {
                if !n.is_removed() {
                    self.lose(cur);
                }
                let node = &mut self.b.nodes[cur as usize];
                node.change = if n.is_removed() && n.layer != layer {
                    Change::Added
                } else {
                    Change::Modified
                };
                // A present symlink or file becomes a directory: marked, as nothing in the
                // layer says so (a removed one was removed on purpose).
                node.replaced = (!n.is_removed()).then_some(Replaced {
                    kind: n.kind,
                    layer: n.layer,
                });
                node.kind = EntryKind::Dir;
                node.size = 0;
                node.sha256 = None;
                node.link = None;
                node.layer = layer;
                node.flags |= flags::IMPLICIT;
            }
        }
        cur
    }

    fn ancestors_present(&self, mut id: u32) -> bool {
        while id != 0 {
            let n = &self.b.nodes[id as usize];
            if n.is_removed() || !n.is_dir() {
                return false;
            }
            id = n.parent;
        }
        true
    }

    /// Removes `id` and everything present below it.
    fn remove(&mut self, id: u32, layer: u32) {
        if self.b.nodes[id as usize].is_removed() {
            return;
        }
        let losses = &mut self.losses;
        self.b.for_subtree(id, |b, cur| {
            let n = &mut b.nodes[cur as usize];
            if n.is_removed() {
                // Already gone, and so is everything below it.
                return false;
            }
            if n.size > 0 {
                losses.push(Loss {
                    node: cur,
                    bytes: n.size,
                    layer: n.layer,
                });
            }
            n.change = Change::Removed;
            n.layer = layer;
            n.replaced = None;
            true
        });
        self.b.forget_last_dir();
    }

    fn remove_children(&mut self, id: u32, layer: u32) {
        let mut child = self.b.nodes[id as usize].first_child;
        while child != u32::MAX {
            let next = self.b.nodes[child as usize].next_sibling;
            self.remove(child, layer);
            child = next;
        }
    }

    /// A present non-directory at `id` is about to be replaced.
    fn lose(&mut self, id: u32) {
        let n = &self.b.nodes[id as usize];
        let bytes = data_size(n.kind, n.size);
        if bytes > 0 {
            self.losses.push(Loss {
                node: id,
                bytes,
                layer: n.layer,
            });
        }
    }

    fn finish(self) -> MergedImage {
        let Self {
            b,
            mut losses,
            total_bytes,
        } = self;
        let tree = b.finish();
        let wasted_bytes = losses.iter().map(|l| l.bytes).sum::<u64>();
        losses.sort_by_key(|l| (l.node, l.layer));
        let mut wasted: Vec<WastedFile> = Vec::new();
        for l in losses {
            match wasted.last_mut() {
                Some(w) if w.node.0 == l.node => {
                    w.bytes += l.bytes;
                    w.layers.push(l.layer);
                }
                _ => wasted.push(WastedFile {
                    path: String::new(),
                    node: NodeId(l.node),
                    bytes: l.bytes,
                    layers: vec![l.layer],
                }),
            }
        }
        wasted.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.node.cmp(&b.node)));
        for w in &mut wasted {
            w.path = tree.path_display(w.node);
        }
        let score = if total_bytes == 0 {
            1.0
        } else {
            (total_bytes - wasted_bytes) as f64 / total_bytes as f64
        };
        MergedImage {
            tree,
            efficiency: Efficiency {
                total_bytes,
                wasted_bytes,
                score,
                wasted,
            },
        }
    }
}

impl AsRef<LayerListing> for LayerListing {
    fn as_ref(&self) -> &LayerListing {
        self
    }
}
