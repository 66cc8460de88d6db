"""Views: thin functions and classes that parse the request, query, and render (HTML or JSON)."""
