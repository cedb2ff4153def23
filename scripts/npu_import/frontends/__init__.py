"""Frontends: a model file -> (float nn.Module in eval mode, notes)."""
