"""Organisations (the external bodies), their seats and who holds each seat per election period."""
