//! racksync_rollback
