//! racksync_audit
