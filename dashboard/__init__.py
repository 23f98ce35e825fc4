"""The Streamlit board: ``app.py`` routes, ``data.py`` queries the store, ``app_pages/`` render.

Run it with ``streamlit run dashboard/app.py`` (WATCH_CONFIG and WATCH_DB say what to show) or
``watch dashboard``.
"""
