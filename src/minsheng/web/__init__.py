"""The Django project that hosts the platforms (consultation, assistance) inside the `minsheng` package."""
