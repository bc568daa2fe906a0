"""Admin: the confidentiality agreement template new pairs start from (no space content here)."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext

from forum.sdk import audit_record, db, require, set_setting
from forum_pair_spaces.forms import agreement_form
from forum_pair_spaces.services import agreement
from forum_pair_spaces.views import bp
from forum_pair_spaces.views.helpers import actor, back_to


@bp.route("/admin/template", methods=["GET", "POST"])
@require("pair_spaces.manage_template")
def admin_template():
    form = agreement_form(agreement.SECTIONS, agreement.template())
    if form.validate_on_submit():
        value = agreement.template_json({k: getattr(form, k).data for k in agreement.SECTION_KEYS})
        set_setting(agreement.TEMPLATE_KEY, value)
        audit_record(
            "pair_spaces.template_edited",
            actor(),
            "setting",
            None,
            reason="agreement template changed",
        )
        db.session.commit()
        flash(
            gettext("Template saved. New pairs start from it; existing agreements are unchanged."),
            "success",
        )
        return back_to("pair_spaces.admin_template")
    return render_template(
        "pair_spaces/admin_template.html", form=form, sections=agreement.SECTIONS
    ), 422 if form.is_submitted() else 200
