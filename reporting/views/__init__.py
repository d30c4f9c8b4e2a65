"""Pages of the reporting app, one module per screen family; each lists its own urlpatterns."""
