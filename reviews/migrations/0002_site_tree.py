"""Replace Wagtail's welcome page with Home → Reviews / Interviews."""

from django.db import migrations


def create_site_tree(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("reviews.HomePage")
    ReviewIndexPage = apps.get_model("reviews.ReviewIndexPage")
    InterviewIndexPage = apps.get_model("reviews.InterviewIndexPage")

    if HomePage.objects.exists():
        return
    # Wagtail's own migration creates a placeholder page at depth 2.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", slug="home").delete()
    locale = Locale.objects.first()

    def content_type(model):
        ct, _ = ContentType.objects.get_or_create(app_label="reviews", model=model)
        return ct

    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Marquee",
        draft_title="Marquee",
        slug="home",
        content_type=content_type("homepage"),
        path=f"{root.path}0001",
        depth=2,
        numchild=2,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    for n, (model, title, slug) in enumerate(
        [(ReviewIndexPage, "Reviews", "reviews"), (InterviewIndexPage, "Interviews", "interviews")],
        start=1,
    ):
        model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type(model._meta.model_name),
            path=f"{home.path}{n:04d}",
            depth=3,
            numchild=0,
            url_path=f"/home/{slug}/",
            locale=locale,
            live=True,
        )
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Marquee")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_site_tree, migrations.RunPython.noop)]
