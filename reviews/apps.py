from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Annual reviews and phase transfers"

    def ready(self) -> None:
        from reviews.deadlines import steps_for_children
        from send_cms.deadlines import registry

        registry.register(steps_for_children)
