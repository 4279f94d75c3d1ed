//! racksync_authority
