from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Annual reviews and phase transfers"

    def ready(self) -> None:
        from cases.documents import register_attachable
        from cases.sen2_import import register_review_writer
        from cases.services import register_plan_issued
        from reviews.deadlines import steps_for_children
        from reviews.models import AnnualReview
        from reviews.sen2_import import import_reviews
        from reviews.services import annual_review_open_first
        from send_cms.deadlines import registry

        registry.register(steps_for_children)
        # The SEN2 import reads each plan's latest review; this app stores it.
        register_review_writer(import_reviews)
        # A final plan's first annual review opens in the same transaction as its issue.
        register_plan_issued(annual_review_open_first)
        # Reports for a review (the school's, the family's views) are documents on the child.
        register_attachable(
            name="review",
            label="Annual review",
            model=AnnualReview,
            child_id_of=lambda review: review.plan.child_id,
            records_of=lambda child_id: AnnualReview.objects.filter(
                plan__child_id=child_id
            ).order_by("-due_on"),
        )
