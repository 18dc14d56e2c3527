//! A file tree for the views: an arena of nodes with children sorted by name, directory
//! sizes rolled up, and for each node what changed it (added, modified, removed) and in which
//! layer. One layer's tree, the merged filesystem and a filtered view all use this type.
//!
//! Names come from tar paths split at `/`; empty and `.` components are dropped (so
//! `./usr/bin`, `usr/bin/` and `/usr/bin` are the same node, as a runtime applies them),
//! while `..` stays a literal node named `..`, shown, never resolved.

use super::builder::TreeBuilder;
use super::entry::{EntryKind, EntryRef, LayerListing, Span, display_path};
use serde::Serialize;
use std::borrow::Cow;

/// A node's index in its [`FileTree`]. Only meaningful for the tree that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a layer did to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// The path did not exist below this layer (or had been removed).
    Added,
    /// The path existed below and this layer replaced it (or changed a directory's mode or
    /// owner).
    Modified,
    /// This layer removed the path, by a whiteout, an opaque directory, or by replacing a
    /// directory above it with something else.
    Removed,
}

/// Node flags.
pub mod flags {
    /// A directory no entry declared: it exists because something below it does.
    pub const IMPLICIT: u8 = 1;
    /// A directory with an opaque marker (`.wh..wh..opq`) in the layer.
    pub const OPAQUE: u8 = 2;
    /// In a single layer's tree: a whiteout (`.wh.NAME`) for this name.
    pub const WHITEOUT: u8 = 4;
}

pub(crate) const NONE: u32 = u32::MAX;

/// What a directory of the merged filesystem replaced: a non-directory (a symlink, a file)
/// of a lower layer, which the node's layer turned into a directory by putting entries
/// below it (or declaring a directory there). A runtime does the same; the merge marks it
/// because nothing else in the layer says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    pub kind: EntryKind,
    /// The layer (an index from 0) whose entry was replaced.
    pub layer: u32,
}

impl Replaced {
    /// How messages name what was replaced: `symlink`, `file` or `other`.
    #[must_use]
    pub fn kind_key(&self) -> &'static str {
        match self.kind {
            EntryKind::Symlink => "symlink",
            EntryKind::File | EntryKind::Other => "file",
            _ => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub kind: EntryKind,
    /// This entry's data bytes (files only; for a removed file, the size it had).
    pub size: u64,
    /// `size` for a file; for a directory, the sum over the files below it. A present
    /// directory counts only present files; a removed one counts what it held.
    pub total_size: u64,
    /// Present files at or below this node (or, for a removed node, the files it held).
    pub files: u32,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub mtime: u64,
    /// SHA-256 of a file's data (see [`super::Entry::sha256`]); `None` for other kinds.
    pub sha256: Option<[u8; 32]>,
    pub change: Change,
    /// The layer that made `change`.
    pub layer: u32,
    pub flags: u8,
    /// In the merged filesystem: the non-directory this directory replaced, when `layer`
    /// did so.
    pub replaced: Option<Replaced>,
    pub(crate) parent: u32,
    pub(crate) name: Span,
    pub(crate) link: Option<Span>,
    // Build-time sibling list; replaced by the sorted `children` range when finished.
    pub(crate) first_child: u32,
    pub(crate) next_sibling: u32,
    pub(crate) children_start: u32,
    pub(crate) children_len: u32,
}

impl Node {
    #[must_use]
    pub fn is_removed(&self) -> bool {
        self.change == Change::Removed
    }

    #[must_use]
    pub fn is_dir(&self) -> bool {
        self.kind == EntryKind::Dir
    }

    #[must_use]
    pub fn has_flag(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Metadata as a tar entry gives it.
    pub(crate) fn set_from(&mut self, e: &EntryRef<'_>, link: Option<Span>) {
        self.kind = e.kind;
        self.size = data_size(e.kind, e.size);
        self.mode = e.mode;
        self.uid = e.uid;
        self.gid = e.gid;
        self.mtime = e.mtime;
        self.sha256 = e.sha256;
        self.link = link;
    }
}

/// Only files (and unknown types, which tar stores like files) carry bytes.
pub(crate) fn data_size(kind: EntryKind, size: u64) -> u64 {
    match kind {
        EntryKind::File | EntryKind::Other => size,
        _ => 0,
    }
}

#[derive(Debug, Clone)]
pub struct FileTree {
    pub(crate) nodes: Vec<Node>,
    pub(crate) names: Vec<u8>,
    pub(crate) children: Vec<NodeId>,
}

impl FileTree {
    pub const ROOT: NodeId = NodeId(0);

    /// Number of nodes, the root included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the tree holds only its root.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    #[must_use]
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    #[must_use]
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = (NodeId, &Node)> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (NodeId(i as u32), n))
    }

    /// The name's raw bytes (empty for the root).
    #[must_use]
    pub fn name(&self, id: NodeId) -> &[u8] {
        self.span(self.node(id).name)
    }

    #[must_use]
    pub fn name_display(&self, id: NodeId) -> Cow<'_, str> {
        display_path(self.name(id))
    }

    #[must_use]
    pub fn link_target(&self, id: NodeId) -> Option<&[u8]> {
        self.node(id).link.map(|s| self.span(s))
    }

    #[must_use]
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        (id != Self::ROOT).then(|| NodeId(self.node(id).parent))
    }

    /// Children sorted by name (bytewise).
    #[must_use]
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        let n = self.node(id);
        let start = n.children_start as usize;
        &self.children[start..start + n.children_len as usize]
    }

    /// Children sorted by total size, largest first, then by name.
    #[must_use]
    pub fn children_by_size(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = self.children(id).to_vec();
        out.sort_by(|a, b| {
            self.node(*b)
                .total_size
                .cmp(&self.node(*a).total_size)
                .then_with(|| self.name(*a).cmp(self.name(*b)))
        });
        out
    }

    /// The path from the root, `/`-separated, without a leading `/`.
    #[must_use]
    pub fn path(&self, id: NodeId) -> Vec<u8> {
        let mut parts = Vec::new();
        let mut cur = id;
        while cur != Self::ROOT {
            parts.push(cur);
            cur = NodeId(self.node(cur).parent);
        }
        let mut out = Vec::new();
        for (i, part) in parts.iter().rev().enumerate() {
            if i > 0 {
                out.push(b'/');
            }
            out.extend_from_slice(self.name(*part));
        }
        out
    }

    #[must_use]
    pub fn path_display(&self, id: NodeId) -> String {
        display_path(&self.path(id)).into_owned()
    }

    /// Finds a path (`/`-separated; leading `/`, `./` and empty parts are ignored).
    #[must_use]
    pub fn find(&self, path: &[u8]) -> Option<NodeId> {
        let mut cur = Self::ROOT;
        for part in components(path) {
            let kids = self.children(cur);
            let i = kids.binary_search_by(|k| self.name(*k).cmp(part)).ok()?;
            cur = kids[i];
        }
        Some(cur)
    }

    /// Every node below the root, depth first in name order, with its depth (1 for the
    /// root's children).
    pub fn walk(&self) -> impl Iterator<Item = (NodeId, usize)> + '_ {
        let mut stack: Vec<(NodeId, usize)> = self
            .children(Self::ROOT)
            .iter()
            .rev()
            .map(|c| (*c, 1))
            .collect();
        std::iter::from_fn(move || {
            let (id, depth) = stack.pop()?;
            stack.extend(self.children(id).iter().rev().map(|c| (*c, depth + 1)));
            Some((id, depth))
        })
    }

    fn span(&self, s: Span) -> &[u8] {
        let start = s.start as usize;
        self.names.get(start..start + s.len as usize).unwrap_or(&[])
    }

    /// One layer on its own: every entry as `Added` by `layer`, each whiteout `.wh.NAME` as
    /// a `Removed` node `NAME` flagged [`flags::WHITEOUT`], opaque directories flagged
    /// [`flags::OPAQUE`]. A later entry for the same path replaces an earlier one.
    #[must_use]
    pub fn from_listing(listing: &LayerListing, layer: u32) -> Self {
        let mut b = TreeBuilder::new(listing.len());
        for e in listing.iter() {
            let (parent_path, name) = split_parent(e.path());
            let parent = b.ensure_dirs(parent_path, layer, Change::Added);
            match whiteout_of(name) {
                Some(Whiteout::Opaque) => b.nodes[parent as usize].flags |= flags::OPAQUE,
                Some(Whiteout::Meta) => {}
                Some(Whiteout::Name(hidden)) => {
                    let id = b.child_or_insert(parent, hidden, layer, Change::Removed);
                    let n = &mut b.nodes[id as usize];
                    n.change = Change::Removed;
                    n.flags |= flags::WHITEOUT;
                }
                None if name.is_empty() => b.set_root(&e),
                None => {
                    let id = b.child_or_insert(parent, name, layer, Change::Added);
                    let link = b.link_span(&e);
                    let n = &mut b.nodes[id as usize];
                    n.set_from(&e, link);
                    n.flags &= !(flags::IMPLICIT | flags::WHITEOUT);
                    n.change = Change::Added;
                }
            }
        }
        b.finish()
    }
}

pub(crate) enum Whiteout<'a> {
    /// `.wh..wh..opq`: the directory hides everything below it from lower layers.
    Opaque,
    /// Other `.wh..wh.*` names (aufs bookkeeping): not a path of the image.
    Meta,
    /// `.wh.NAME`: `NAME` is removed.
    Name(&'a [u8]),
}

pub(crate) fn whiteout_of(name: &[u8]) -> Option<Whiteout<'_>> {
    let rest = name.strip_prefix(b".wh.")?;
    Some(if rest == b".wh..opq" {
        Whiteout::Opaque
    } else if rest.starts_with(b".wh.") {
        Whiteout::Meta
    } else {
        Whiteout::Name(rest)
    })
}

/// Path parts that name something: empty and `.` parts are dropped.
pub(crate) fn components(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    path.split(|b| *b == b'/')
        .filter(|p| !p.is_empty() && *p != b".")
}

/// `a/b/c/` → (`a/b`, `c`); `./x` → (`.`, `x`); `/` → (``, ``).
pub(crate) fn split_parent(path: &[u8]) -> (&[u8], &[u8]) {
    let mut trimmed = path;
    while let Some(rest) = trimmed.strip_suffix(b"/") {
        trimmed = rest;
    }
    if trimmed == b"." {
        return (b"", b"");
    }
    match trimmed.iter().rposition(|b| *b == b'/') {
        Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
        None => (b"", trimmed),
    }
}
