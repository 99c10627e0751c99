import factory
import wagtail_factories

from .models import Person, Role


def _set_roles(person, create, slugs):
    if create and slugs:
        person.roles.set(Role.objects.filter(slug__in=slugs))
        person.save()


class PersonFactory(factory.django.DjangoModelFactory):
    """``PersonFactory(roles=["critic"])`` attaches roles by slug."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Person {n}")
    bio = factory.Faker("paragraph", nb_sentences=2)
    photo = factory.SubFactory(wagtail_factories.ImageFactory)
    roles = factory.PostGeneration(lambda person, create, slugs, **kw: _set_roles(person, create, slugs))


class CriticFactory(PersonFactory):
    roles = factory.PostGeneration(
        lambda person, create, slugs, **kw: _set_roles(person, create, slugs or ["critic"])
    )
