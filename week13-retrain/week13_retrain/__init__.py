"""Weeks 13-14: when and how to replace a model. Triggers, a challenger trained on recent data,
an A/B split in the service, a sequential decision, promotion and one-command rollback."""
