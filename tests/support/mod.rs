//! The integration-test harness: real registries, a fault-injecting proxy, seeded fixtures,
//! and an isolated environment for every child process.
//!
//! Everything here is synchronous and owns no async runtime, so it works from a plain
//! `#[test]` and from a `#[tokio::test]` alike.
//!
//! - [`registry`]`(auth)`: a shared, seeded, **read-only** registry per auth mode, started once
//!   per test process (writes answer 405). Use it for every test that only reads.
//! - [`fresh_registry`]`(opts)`: a private registry with its own copy of the seeded storage
//!   ([`Content::Core`] by default: all but `many/tags` and `bulk/*`), stopped on drop.
//!   Use it to push, delete, corrupt blobs, or to count requests
//!   and token scopes without other tests' traffic mixing in.
//! - [`TestEnv`], [`berth_cmd`], [`skopeo`]: child processes with a temporary `HOME`,
//!   `DOCKER_CONFIG`, `REGISTRY_AUTH_FILE`, `XDG_*` and `LANG=C.UTF-8`.
//! - [`FaultProxy`]: a fault-injecting HTTP proxy in front of a registry (transport tests).
//! - [`wait::until`]: wait for a condition with a generous deadline (never a fixed sleep).
//! - [`fixtures`]: what the registries hold (the contract), and facts to assert against.

#![allow(dead_code, unused_imports)]

pub mod env;
pub mod fault_proxy;
pub mod fixtures;
pub mod hostile;
pub mod http;
pub mod oci;
pub mod podman;
pub mod process;
pub mod registry;
pub mod tls;
pub mod token_server;
pub mod wait;
pub mod wire;

use std::sync::OnceLock;

pub use env::{
    TestEnv, assert_quiet_into_closed_pipe, berth_cmd, berth_failing, isolated_env, shared_env,
    skopeo,
};
pub use fault_proxy::{Fault, FaultProxy, Gate, Rule};
pub use http::HttpResponse;
pub use registry::{Auth, RegistryOptions, TestRegistry};
pub use token_server::{TokenRequest, TokenServer, TokenServerOptions};

/// The user name every authenticated test registry and token server accepts.
pub const USER: &str = "berth-user";
/// The password every authenticated test registry and token server accepts.
pub const PASS: &str = "berth-pass-7Qx";

/// The shared, seeded, read-only registry for `auth` (started on first use).
///
/// All shared registries serve the fixture cache itself (no copy: it has ~50,000 entries), in
/// distribution's read-only mode, so writes through the API answer 405. Never write into its
/// `storage_dir()` on disk: that is the cache. Use [`fresh_registry`] for that.
pub fn registry(auth: Auth) -> &'static TestRegistry {
    static ANONYMOUS: OnceLock<TestRegistry> = OnceLock::new();
    static BASIC: OnceLock<TestRegistry> = OnceLock::new();
    static TOKEN: OnceLock<TestRegistry> = OnceLock::new();
    static TOKEN_ANONYMOUS: OnceLock<TestRegistry> = OnceLock::new();
    let cell = match auth {
        Auth::Anonymous => &ANONYMOUS,
        Auth::Basic => &BASIC,
        Auth::Token => &TOKEN,
        Auth::TokenAnonymous => &TOKEN_ANONYMOUS,
    };
    cell.get_or_init(|| {
        let opts = RegistryOptions {
            read_only: true,
            ..RegistryOptions::new(auth)
        };
        let run_dir = process::scratch_dir(&format!("registry-{auth:?}-").to_lowercase());
        TestRegistry::start(&fixtures::fixture_storage(), &run_dir, &opts)
    })
}

/// What a fresh registry's storage starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// Every fixture except `many/tags` and `bulk/*` (a quick copy; the default).
    Core,
    /// Every fixture (copying ~50,000 entries takes several seconds).
    Full,
    /// Nothing.
    Empty,
}

/// How to start a private registry.
#[derive(Clone, Debug)]
pub struct FreshOptions {
    pub auth: Auth,
    /// `storage.delete.enabled` (default true).
    pub delete_enabled: bool,
    pub content: Content,
    /// For token modes: the token server's options (e.g. a short `ttl`).
    pub token: TokenServerOptions,
}

impl FreshOptions {
    pub fn new(auth: Auth) -> Self {
        FreshOptions {
            auth,
            delete_enabled: true,
            content: Content::Core,
            token: TokenServerOptions::default(),
        }
    }
    #[must_use]
    pub fn delete_disabled(mut self) -> Self {
        self.delete_enabled = false;
        self
    }
    #[must_use]
    pub fn empty(mut self) -> Self {
        self.content = Content::Empty;
        self
    }
    #[must_use]
    pub fn full(mut self) -> Self {
        self.content = Content::Full;
        self
    }
    #[must_use]
    pub fn token_options(mut self, token: TokenServerOptions) -> Self {
        self.token = token;
        self
    }
}

impl Default for FreshOptions {
    fn default() -> Self {
        Self::new(Auth::Anonymous)
    }
}

/// A private registry with its own copy of the fixtures, stopped and deleted on drop.
pub fn fresh_registry(opts: FreshOptions) -> TestRegistry {
    let dir = process::scratch_dir("fresh-registry-");
    let storage = dir.join("storage");
    match opts.content {
        Content::Core => process::copy_tree(&fixtures::fixture_core_storage(), &storage),
        Content::Full => process::copy_tree(&fixtures::fixture_storage(), &storage),
        Content::Empty => {}
    }
    let ropts = RegistryOptions {
        auth: opts.auth,
        delete_enabled: opts.delete_enabled,
        read_only: false,
        token: opts.token,
        tls: None,
    };
    TestRegistry::start(&storage, &dir, &ropts).owning_run_dir()
}
