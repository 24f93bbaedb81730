"""Uploads, quotas, final selection and the states a submission goes through."""
