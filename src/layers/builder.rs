//! Building a [`FileTree`]: nodes appended to an arena (a child always after its parent),
//! a hash index from (parent, name) to node so lookups cost O(1) whatever the fan-out, and
//! a cache of the last directory walked, since tar entries come grouped by directory.

use super::entry::{EntryKind, EntryRef, Span};
use super::tree::{Change, FileTree, NONE, Node, NodeId, components, flags};
use hashbrown::HashTable;
use std::hash::BuildHasher as _;

/// Builds a [`FileTree`] in one pass: a hash index from (parent, name) to node, and a cache
/// of the last directory walked, since tar entries come grouped by directory.
pub(crate) struct TreeBuilder {
    pub(crate) nodes: Vec<Node>,
    pub(crate) names: Vec<u8>,
    index: HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
    last_dir_path: Vec<u8>,
    last_dir: u32,
}

impl TreeBuilder {
    pub(crate) fn new(capacity: usize) -> Self {
        let root = implicit_dir(0, Span::default(), 0, Change::Added, NONE);
        let mut nodes = Vec::with_capacity(capacity + 1);
        nodes.push(root);
        Self {
            nodes,
            names: Vec::with_capacity(capacity * 12),
            index: HashTable::with_capacity(capacity),
            hasher: hashbrown::DefaultHashBuilder::default(),
            last_dir_path: Vec::new(),
            last_dir: NONE,
        }
    }

    fn name_of(&self, id: u32) -> &[u8] {
        let s = self.nodes[id as usize].name;
        &self.names[s.start as usize..(s.start + s.len) as usize]
    }

    pub(crate) fn lookup(&self, parent: u32, name: &[u8]) -> Option<u32> {
        let hash = self.hasher.hash_one((parent, name));
        self.index
            .find(hash, |&id| {
                self.nodes[id as usize].parent == parent && self.name_of(id) == name
            })
            .copied()
    }

    /// The child `name` of `parent`, created (as an implicit directory marked `change` by
    /// `layer`) when missing.
    pub(crate) fn child_or_insert(
        &mut self,
        parent: u32,
        name: &[u8],
        layer: u32,
        change: Change,
    ) -> u32 {
        match self.lookup(parent, name) {
            Some(id) => id,
            None => self.insert_new(parent, name, layer, change),
        }
    }

    /// Adds a child the caller knows is missing.
    pub(crate) fn insert_new(
        &mut self,
        parent: u32,
        name: &[u8],
        layer: u32,
        change: Change,
    ) -> u32 {
        let id = self.nodes.len() as u32;
        let start = self.names.len() as u32;
        self.names.extend_from_slice(name);
        let p = &mut self.nodes[parent as usize];
        let next_sibling = p.first_child;
        p.first_child = id;
        let span = Span {
            start,
            len: name.len() as u32,
        };
        self.nodes
            .push(implicit_dir(parent, span, layer, change, next_sibling));
        let hasher = &self.hasher;
        let hash = hasher.hash_one((parent, name));
        let nodes = &self.nodes;
        let names = &self.names;
        self.index.insert_unique(hash, id, |&other| {
            let n = &nodes[other as usize];
            let s = n.name;
            hasher.hash_one((
                n.parent,
                &names[s.start as usize..(s.start + s.len) as usize],
            ))
        });
        id
    }

    /// Walks `dir_path` from the root, creating missing directories as implicit ones
    /// (`change` by `layer`). Something that is not a directory on the way is left as it is
    /// here; the merge decides what replacing it means.
    pub(crate) fn ensure_dirs(&mut self, dir_path: &[u8], layer: u32, change: Change) -> u32 {
        if self.last_dir != NONE && self.last_dir_path == dir_path {
            return self.last_dir;
        }
        let mut cur = 0;
        for part in components(dir_path) {
            cur = self.child_or_insert(cur, part, layer, change);
        }
        self.last_dir_path.clear();
        self.last_dir_path.extend_from_slice(dir_path);
        self.last_dir = cur;
        cur
    }

    /// Forget the cached directory (after the tree changed shape under it).
    pub(crate) fn forget_last_dir(&mut self) {
        self.last_dir = NONE;
    }

    pub(crate) fn link_span(&mut self, e: &EntryRef<'_>) -> Option<Span> {
        let target = e.link_target()?;
        let start = self.names.len() as u32;
        self.names.extend_from_slice(target);
        Some(Span {
            start,
            len: target.len() as u32,
        })
    }

    pub(crate) fn set_root(&mut self, e: &EntryRef<'_>) {
        if e.kind == EntryKind::Dir {
            let root = &mut self.nodes[0];
            root.mode = e.mode;
            root.uid = e.uid;
            root.gid = e.gid;
            root.mtime = e.mtime;
            root.flags &= !flags::IMPLICIT;
        }
    }

    /// Calls `f` on `id` and every node below it, parents before children.
    pub(crate) fn for_subtree(&mut self, id: u32, mut f: impl FnMut(&mut Self, u32) -> bool) {
        let mut stack = vec![id];
        while let Some(cur) = stack.pop() {
            if !f(self, cur) {
                continue;
            }
            let mut child = self.nodes[cur as usize].first_child;
            while child != NONE {
                stack.push(child);
                child = self.nodes[child as usize].next_sibling;
            }
        }
    }

    /// Sorts the children, rolls sizes up, and freezes the tree.
    pub(crate) fn finish(mut self) -> FileTree {
        roll_up(&mut self.nodes);
        let mut children = Vec::with_capacity(self.nodes.len());
        for i in 0..self.nodes.len() {
            let start = children.len();
            let mut child = self.nodes[i].first_child;
            while child != NONE {
                children.push(NodeId(child));
                child = self.nodes[child as usize].next_sibling;
            }
            let names = &self.names;
            let nodes = &self.nodes;
            children[start..].sort_unstable_by(|a, b| {
                let na = nodes[a.index()].name;
                let nb = nodes[b.index()].name;
                names[na.start as usize..(na.start + na.len) as usize]
                    .cmp(&names[nb.start as usize..(nb.start + nb.len) as usize])
            });
            let n = &mut self.nodes[i];
            n.children_start = start as u32;
            n.children_len = (children.len() - start) as u32;
        }
        FileTree {
            nodes: self.nodes,
            names: self.names,
            children,
        }
    }
}

/// Sets `total_size` and `files` from the node sizes. Children always come after their
/// parent in the arena, so one reverse pass sees every child before its parent.
pub(crate) fn roll_up(nodes: &mut [Node]) {
    for n in nodes.iter_mut() {
        n.total_size = n.size;
        n.files = u32::from(matches!(n.kind, EntryKind::File | EntryKind::Other));
    }
    for i in (1..nodes.len()).rev() {
        let n = nodes[i];
        let p = &mut nodes[n.parent as usize];
        if !n.is_removed() || p.is_removed() {
            p.total_size += n.total_size;
            p.files += n.files;
        }
    }
}

/// A directory no tar entry named, made for a path under it: `rwxr-xr-x`, owned by root.
fn implicit_dir(parent: u32, name: Span, layer: u32, change: Change, next_sibling: u32) -> Node {
    Node {
        kind: EntryKind::Dir,
        size: 0,
        total_size: 0,
        files: 0,
        mode: 0o755,
        uid: 0,
        gid: 0,
        mtime: 0,
        sha256: None,
        change,
        layer,
        flags: flags::IMPLICIT,
        replaced: None,
        parent,
        name,
        link: None,
        first_child: NONE,
        next_sibling,
        children_start: 0,
        children_len: 0,
    }
}
