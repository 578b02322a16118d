from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import permissions, selectors


@login_required
def group_detail(request, slug):
    group, membership = permissions.group_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "membership": membership,
            "roster": selectors.group_roster(group=group),
            "can_manage": permissions.can_manage_group(request.user, group),
        },
    )
