//! racksync_replication
