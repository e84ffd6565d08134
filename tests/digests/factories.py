"""Factories for the digest models; the goal-side ones are in tests/factories.py."""

import factory

from apps.digests.models import DigestSubscription
from apps.goals.models import DepartmentMembership, MembershipRole

from ..factories import UserFactory


class DigestSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSubscription
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, is_staff=True)
    is_active = True

    @factory.post_generation
    def departments(self, create, departments, **kwargs):
        """DigestSubscriptionFactory(departments=[...]) limits the digest to them, and makes its reader a
        manager in each (a digest covers only its reader's departments); none chosen means all of the
        reader's departments, or every department for a superuser."""
        if create and departments:
            self.departments.set(departments)
            for department in departments:
                DepartmentMembership.objects.get_or_create(
                    user=self.user, department=department, defaults={"role": MembershipRole.MANAGER}
                )
