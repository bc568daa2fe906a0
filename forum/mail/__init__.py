"""The e-mail outbox, below the features: accounts and notifications both queue mail here."""
