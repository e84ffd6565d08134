"""The admin index's to-do list (apps.staff.todo)."""

from django import template

from ..todo import staff_todo

register = template.Library()


@register.inclusion_tag("admin/goals/todo.html", takes_context=True)
def todo_list(context):
    return {"todo": staff_todo(context["request"].user)}
