"""Factories for the digest models; the goal-side ones are in tests/factories.py."""

import factory

from apps.digests.models import DigestSubscription

from ..factories import UserFactory


class DigestSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSubscription
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, is_staff=True)
    is_active = True

    @factory.post_generation
    def departments(self, create, departments, **kwargs):
        """DigestSubscriptionFactory(departments=[...]) limits the digest to them; none means all."""
        if create and departments:
            self.departments.set(departments)
