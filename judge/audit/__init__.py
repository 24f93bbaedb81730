"""Who did what, when: every privileged act, with the values before and after."""
