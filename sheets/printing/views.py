"""Printing screens: sheet previews and PDFs, the task breakdown sheet, the 印刷リスト and its
binder, and photos. Every view that takes an id goes through the access doors first
(sheets.access / sheets.photos); nothing here writes except the print list (session only),
photos and the ① introduction, which go through their service functions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry.access import get_employer_for_user, is_coordinator_of, role_required
from registry.forms import add_service_error
from registry.http import PRIVATE
from registry.models import Role
from registry.services import StaleEditError
from sheets.breakdowns.access import get_breakdown_for_user
from sheets.clients.access import get_introduction_for_user
from sheets.clients.models import SelfIntroduction, SharingConsent
from sheets.clients.services import printable_sections, record_access
from sheets.printing import binder, pdf
from sheets.printing import sheets as printing
from sheets.printing.access import get_photo_for_user
from sheets.printing.forms import EmployerIntroForm, PhotoForm, PrintListForm, ReadingsForm
from sheets.printing.models import EmployerIntro
from sheets.printing.print_list import PrintList, can_be_bound
from sheets.printing.services import intro_update, photo_add, photo_remove
from sheets.programs.access import SHEET_RELATED, can_edit_program, get_program_for_user
from sheets.programs.models import Program
from sheets.programs.services import LinkUnusable, program_update, review_link_for_handout

# The program form's wording (sheets/programs/views.py) for a stale save.
STALE_PROGRAM = gettext_lazy(
    "Someone else saved this program while you were editing. Nothing was overwritten: "
    "copy your changes, reload the page and enter them again."
)


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = PRIVATE
    return response


def _sheet_filename(program: Program, kind: str) -> str:
    sheet = printing.SHEET_KINDS[kind]
    if kind == "employer":  # ① is the employer's, the same from every program (no program revision)
        return f"{sheet.number}{sheet.title}_{program.employer.name}.pdf"
    return f"{sheet.number}{sheet.title}_{program.title}_r{program.revision}.pdf"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# --- Sheets ①②③ -------------------------------------------------------------------------------


def _furigana_choice(request: HttpRequest, kind: str) -> bool | None:
    """This print's furigana on ②: ?furigana=1 adds it, ?furigana=0 leaves it out, and
    without the parameter the program's own choice holds."""
    if kind != "client":
        return None
    return {"1": True, "0": False}.get(request.GET.get("furigana", ""))


def _page_marks(printed: printing.PrintedSheet) -> list[dict]:
    """The PDF's page breaks, for the preview's one long sheet of paper to show where they fall."""
    return [
        start | {"label": _("Page %(page)d starts here") % {"page": start["page"]}} for start in printed.page_starts
    ]


@role_required(Role.COUNSELOR)
def sheet_preview(request: HttpRequest, program_uuid, kind: str) -> HttpResponse:
    """The sheet exactly as it prints (same template, same type size as the PDF), with a
    toolbar that is not part of the paper."""
    program = get_program_for_user(request.user, program_uuid, related=SHEET_RELATED)
    furigana = _furigana_choice(request, kind)
    context = printing.program_context(program, kind, user=request.user, furigana=furigana)
    printed = printing.sheet_pdf(program, kind, context=context)  # decides the type size; warms the cache
    in_list = PrintList.of(request).contains(program)
    query = "" if furigana is None else f"?furigana={int(furigana)}"
    preview = {
        "pdf_url": reverse("sheet_pdf", args=[program.uuid, kind]) + query,
        "furigana": context.get("furigana"),
        "furigana_url": reverse("sheet_preview", args=[program.uuid, kind]),
        "furigana_edit_url": reverse("furigana_edit", args=[program.uuid]),
        "can_edit": can_edit_program(request.user, program),
        "back_url": reverse("program_detail", args=[program.uuid]),
        "back_label": program.title,
        "tabs": [(k, reverse("sheet_preview", args=[program.uuid, k.key])) for k in printing.SHEET_KINDS.values()],
        "program": program,
        "in_list": in_list,
        "pages": printed.pages,
        "page_marks": _page_marks(printed),
    }
    html = printing.render_sheet_html(kind, context, density=printed.density, preview=preview, request=request)
    response = HttpResponse(html)
    response["Cache-Control"] = PRIVATE
    return response


@role_required(Role.COUNSELOR)
def sheet_pdf(request: HttpRequest, program_uuid, kind: str) -> HttpResponse:
    program = get_program_for_user(request.user, program_uuid, related=SHEET_RELATED)
    printed = printing.sheet_pdf(program, kind, user=request.user, furigana=_furigana_choice(request, kind))
    response = _pdf_response(printed.pdf, _sheet_filename(program, kind))
    response["X-Sheet-Cache"] = "hit" if printed.from_cache else "miss"
    return response


@require_POST
@role_required(Role.COUNSELOR)
def review_handout_pdf(request: HttpRequest, program_uuid, link_uuid) -> HttpResponse:
    """The printed hand-out of a review link (QR code, the link as text, until when, whom to
    ask), for the staff who manage the program's review links. Only the link's hash is stored,
    so the page that shows the new link once posts its token back (a POST keeps it out of
    addresses and logs); a token that is not this link's is a 404."""
    program = get_program_for_user(request.user, program_uuid, write=True)
    token = request.POST.get("token", "")
    try:
        link = review_link_for_handout(program=program, link_uuid=link_uuid, token=token)
    except LinkUnusable:
        messages.error(request, _("This review link no longer works, so it gets no hand-out. Create a new link."))
        return redirect(reverse("program_detail", args=[program.uuid]) + "#review")
    if link is None:
        raise Http404
    url = request.build_absolute_uri(reverse("review_page", args=[token]))
    context = printing.review_handout_context(program, link, url=url, contact=request.user)
    filename = f"{printing.REVIEW_HANDOUT_KIND.title}_{program.employer.name}.pdf"
    return _pdf_response(printing.review_handout_pdf(context), filename)


@role_required(Role.COUNSELOR)
def furigana_edit(request: HttpRequest, program_uuid) -> HttpResponse:
    """The readings of ②'s words: the coordinator corrects what the dictionary reads wrongly.
    Saved as content (a new revision of the program), like any other change to ②."""
    program = get_program_for_user(request.user, program_uuid, write=True, related=SHEET_RELATED)
    form = ReadingsForm(request.POST or None, words=printing.client_words(program), program=program)
    if request.method == "POST" and form.is_valid():
        try:
            program_update(
                program=program,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                furigana=form.cleaned_data["furigana"],
                readings=form.readings(),
            )
        except StaleEditError:
            form.add_error(None, STALE_PROGRAM)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The readings were saved."))
            return redirect(reverse("sheet_preview", args=[program.uuid, "client"]) + "?furigana=1")
    return render(
        request,
        "sheets/furigana_form.html",
        {"form": form, "program": program},
        status=400 if request.method == "POST" else 200,
    )


# --- Task breakdown sheet -------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def breakdown_print(request: HttpRequest, employer_uuid, breakdown_uuid) -> HttpResponse:
    breakdown = get_breakdown_for_user(request.user, employer_uuid, breakdown_uuid)
    preview = {
        "pdf_url": reverse("breakdown_pdf", args=[employer_uuid, breakdown_uuid]),
        "back_url": reverse("breakdown_detail", args=[employer_uuid, breakdown_uuid]),
        "back_label": _("Task breakdown sheet"),
    }
    html = printing.render_sheet_html(
        "breakdown", printing.breakdown_context(breakdown), preview=preview, request=request
    )
    return HttpResponse(html)


@role_required(Role.COUNSELOR)
def breakdown_pdf(request: HttpRequest, employer_uuid, breakdown_uuid) -> HttpResponse:
    breakdown = get_breakdown_for_user(request.user, employer_uuid, breakdown_uuid)
    filename = f"{_('Task breakdown sheet')}_{breakdown.employer.name}_{breakdown.visited_on:%Y%m%d}.pdf"
    return _pdf_response(printing.breakdown_pdf(breakdown), filename)


@role_required(Role.COUNSELOR)
def breakdown_blank_print(request: HttpRequest) -> HttpResponse:
    preview = {"pdf_url": reverse("breakdown_blank_pdf"), "back_url": reverse("dashboard"), "back_label": _("Home")}
    html = printing.render_sheet_html("breakdown", printing.breakdown_context(None), preview=preview, request=request)
    return HttpResponse(html)


@role_required(Role.COUNSELOR)
def breakdown_blank_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf_response(printing.breakdown_pdf(None), f"{_('Task breakdown sheet')}.pdf")


# --- 印刷リスト and binder ---------------------------------------------------------------------


@role_required(Role.COUNSELOR)
@require_POST
def print_list_toggle(request: HttpRequest, program_uuid) -> HttpResponse:
    program = get_program_for_user(request.user, program_uuid)
    print_list = PrintList.of(request)
    refused = not print_list.contains(program) and not can_be_bound(program)
    in_list = print_list.toggle(program)
    if request.htmx:
        # The new button keeps the keyboard (the old one, which had it, is gone) and the page it is on.
        context = {"program": program, "in_list": in_list, "swapped": True, "next": _safe_next(request, "")}
        return render(request, "sheets/_partials/print_toggle.html", context)
    if refused:
        messages.error(request, _("An archived program cannot go into a binder."))
    elif in_list:
        messages.success(request, _("Added to the print list."))
    else:
        messages.info(request, _("Removed from the print list."))
    return redirect(_safe_next(request, reverse("print_list")))


@role_required(Role.COUNSELOR)
def print_list(request: HttpRequest) -> HttpResponse:
    """The programs ticked for printing, with the sheets wanted for each."""
    entries = PrintList.of(request).entries(request.user)
    form = PrintListForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        PrintList.of(request).set_kinds(form.chosen_kinds())
        if "clear" in request.POST:
            PrintList.of(request).clear()
            messages.info(request, _("The print list is empty now."))
            return redirect("print_list")
        if "download" in request.POST:
            return _binder_download(request)
        messages.success(request, _("The print list was saved."))
        return redirect("print_list")
    return render(
        request,
        "sheets/print_list.html",
        {
            "entries": entries,
            "form": form,
            "kinds": printing.SHEET_KINDS.values(),
            "background_limit": settings.BINDER_BACKGROUND_THRESHOLD,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COUNSELOR)
def binder_pdf(request: HttpRequest) -> HttpResponse:
    """One PDF: a cover page listing the programs (with the page each starts on), then the
    chosen sheets of each (sheets.binder). A big binder is made in the background instead,
    started by the print list's POST (GET never writes)."""
    entries = [e for e in PrintList.of(request).entries(request.user) if e.kinds]
    if not entries:
        messages.warning(request, _("The print list is empty. Add programs to it first."))
        return redirect("print_list")
    if binder.in_background(entries):
        messages.info(request, _background_note(entries))
        return redirect("print_list")
    return _pdf_response(binder.build(request.user, entries), binder.filename())


def _binder_download(request: HttpRequest) -> HttpResponse:
    """The print list's download button: small binders at once, big ones as a job."""
    entries = [e for e in PrintList.of(request).entries(request.user) if e.kinds]
    if entries and binder.in_background(entries):
        return redirect(binder.start_job(by=request.user, entries=entries))
    return redirect("binder_pdf")


def _background_note(entries) -> str:
    return _(
        "This binder has %(count)d sheets, more than %(limit)d: press “Save and download the binder (PDF)” and "
        "it is made in the background while you wait on a progress page."
    ) % {"count": binder.sheet_count(entries), "limit": settings.BINDER_BACKGROUND_THRESHOLD}


# --- Photos ----------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def photo_serve(request: HttpRequest, photo_uuid) -> FileResponse:
    photo = get_photo_for_user(request.user, photo_uuid)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=photo.mime_type)
    response["Cache-Control"] = PRIVATE  # a photo of a workplace is personal to the agency: never kept
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _photo_target(request: HttpRequest, target: str, **ids) -> dict:
    """The employer (and program or breakdown) a photo is uploaded to, through their doors."""
    if target == "program":
        program = get_program_for_user(request.user, ids["program_uuid"], write=True)
        return {"employer": program.employer, "program": program, "owner": program, "next": "program_detail"}
    if target == "breakdown":
        breakdown = get_breakdown_for_user(request.user, ids["employer_uuid"], ids["breakdown_uuid"], write=True)
        return {"employer": breakdown.employer, "breakdown": breakdown, "owner": breakdown}
    employer = get_employer_for_user(request.user, ids["employer_uuid"], write=True)
    return {"employer": employer, "owner": employer}


def _owner_url(owner) -> str:
    if isinstance(owner, Program):
        return reverse("program_detail", args=[owner.uuid])
    if hasattr(owner, "visited_on"):
        return reverse("breakdown_detail", args=[owner.employer.uuid, owner.uuid])
    return reverse("employer_detail", args=[owner.uuid])


@role_required(Role.COUNSELOR)
def photo_upload(request: HttpRequest, target: str, **ids) -> HttpResponse:
    """GET: the upload form on its own page; POST: check, re-encode and store the photo."""
    found = _photo_target(request, target, **ids)
    owner = found.pop("owner")
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photo_add(
                by=request.user,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                **{k: v for k, v in found.items() if k in ("employer", "program", "breakdown")},
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if request.htmx:
                return render(request, "sheets/_partials/photo_panel.html", _panel_context(request, owner))
            messages.success(request, _("The photo was added."))
            return redirect(_safe_next(request, _owner_url(owner)))
    status = 400 if request.method == "POST" else 200
    if request.htmx:
        return render(
            request, "sheets/_partials/photo_panel.html", _panel_context(request, owner, form=form), status=status
        )
    return render(
        request,
        "sheets/photo_upload.html",
        {"form": form, "owner": owner, "owner_url": _owner_url(owner), "action": request.path},
        status=status,
    )


@role_required(Role.COUNSELOR)
@require_POST
def photo_delete(request: HttpRequest, photo_uuid) -> HttpResponse:
    photo = get_photo_for_user(request.user, photo_uuid, write=True)
    owner = photo.program or photo.breakdown or photo.employer
    photo_remove(photo=photo, by=request.user)
    if request.htmx:
        return render(request, "sheets/_partials/photo_panel.html", _panel_context(request, owner))
    messages.success(request, _("The photo was removed."))
    return redirect(_safe_next(request, _owner_url(owner)))


def _panel_context(request: HttpRequest, owner, form: PhotoForm | None = None) -> dict:
    from sheets.printing.selectors import photo_panel_context

    return photo_panel_context(request, owner, form=form)


# --- ① introduction -------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def employer_intro_edit(request: HttpRequest, employer_uuid) -> HttpResponse:
    employer = get_employer_for_user(request.user, employer_uuid, write=True)
    intro = EmployerIntro.objects.filter(employer=employer).first() or EmployerIntro(employer=employer)
    form = EmployerIntroForm(request.POST or None, instance=intro)
    if request.method == "POST" and form.is_valid():
        try:
            intro_update(employer=employer, by=request.user, **form.service_fields())
        except StaleEditError:
            form.add_error(None, _("Someone else saved this while you were editing. Nothing was overwritten."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("employer_detail", employer_uuid=employer.uuid)
    can_print = is_coordinator_of(request.user, employer.owner_id)
    return render(
        request,
        "sheets/employer_intro_form.html",
        {"form": form, "employer": employer, "can_print": can_print},
        status=400 if request.method == "POST" else 200,
    )


# --- The employer contact's review link: the draft sheets as they will print -----------------


def _review_link(token: str):
    """The usable link for a token; 404 unknown, 410 expired/revoked (as the review page)."""
    from sheets.programs import services

    try:
        link = services.review_link_for_token(token)
    except services.LinkUnusable:
        raise ReviewLinkGone from None
    if link is None:
        raise Http404
    return link


class ReviewLinkGone(Exception):
    pass


def _review_gone(request: HttpRequest) -> HttpResponse:
    response = render(request, "sheets/review_unavailable.html", {"status": 410}, status=410)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def review_sheet(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    """No account: the token is the key. Photos are inlined, since the reviewer cannot open
    the access-checked photo URLs."""
    try:
        link = _review_link(token)
    except ReviewLinkGone:
        return _review_gone(request)
    program = link.program
    printed = printing.sheet_pdf(program, kind)
    preview = {
        "pdf_url": reverse("review_sheet_pdf", args=[token, kind]),
        "back_url": reverse("review_page", args=[token]),
        "back_label": _("Back to the review page"),
        "tabs": [(k, reverse("review_sheet", args=[token, k.key])) for k in printing.SHEET_KINDS.values()],
        "pages": printed.pages,
        "page_marks": _page_marks(printed),
    }
    context = printing.program_context(program, kind, inline_photos=True)
    response = HttpResponse(
        printing.render_sheet_html(kind, context, density=printed.density, preview=preview, request=request)
    )
    response["Cache-Control"] = PRIVATE
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def review_sheet_pdf(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    try:
        link = _review_link(token)
    except ReviewLinkGone:
        return _review_gone(request)
    printed = printing.sheet_pdf(link.program, kind)
    response = _pdf_response(printed.pdf, _sheet_filename(link.program, kind))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- The self-introduction: the host employer's copy ------------------------------------


def _consent_for_print(request: HttpRequest, introduction: SelfIntroduction) -> SharingConsent | None:
    consent_uuid = request.GET.get("consent", "")
    consent = None
    if consent_uuid:
        try:
            consent = introduction.consents.select_related("employer", "program").filter(uuid=consent_uuid).first()
        except ValidationError:
            consent = None
    if consent is None or not consent.is_active(timezone.localdate()):
        return None
    return consent


@role_required(Role.COUNSELOR)
def introduction_pdf(request: HttpRequest, client_uuid, introduction_uuid) -> HttpResponse:
    """The one-page A4 form for the host employer, with only what the client agreed to share."""
    introduction = get_introduction_for_user(request.user, client_uuid, introduction_uuid)
    consent = _consent_for_print(request, introduction)
    if consent is None:
        response = render(
            request,
            "sheets/clients/print_refused.html",
            {"client": introduction.client, "introduction": introduction},
            status=403,
        )
        response["Cache-Control"] = PRIVATE
        return response
    document, _density = printing.fit_document(
        "self_introduction",
        printing.introduction_context(introduction, consent),
        printing.SELF_INTRODUCTION_KIND.page_budget,
    )
    data = pdf.write_pdf(document)
    record_access(
        by=request.user,
        action="introduction.print",
        target=introduction,
        consent=str(consent.uuid),
        employer=str(consent.employer.uuid),
        sections=sorted(printable_sections(consent)),
    )
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{_('Self-introduction')}_{introduction.client.code}_{timezone.localdate():%Y%m%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = PRIVATE
    return response
