"""Beheer: the gemeente's own register kept in the app (upload, check, import as a batch,
undo, edit, confirm), for accounts with the beheerder role."""
