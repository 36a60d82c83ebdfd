"""Named accounts with roles (users.py, no Streamlit) and their login form (login.py)."""
