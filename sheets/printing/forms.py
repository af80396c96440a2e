"""Forms of the printing screens: photo upload, the ① introduction, the print list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import CrispyMixin, PrintedTextMixin
from sheets.japanese import KANA_READING, MAX_READING
from sheets.printing.models import EmployerIntro, Facility
from sheets.printing.photos import photo_max_bytes
from sheets.programs.furigana import clean_reading


class PhotoForm(PrintedTextMixin, CrispyMixin, forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP. Location data is removed and the photo is resized for printing."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=60,
        help_text=_("What the photo shows, e.g. 作業場のようす. Printed under the photo and read aloud."),
    )

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > photo_max_bytes():
            # Checked again by the service; here it spares decoding a huge file.
            raise forms.ValidationError(
                _("The photo is too large. Upload a photo of at most %(mb)d MB."),
                params={"mb": photo_max_bytes() // (1024 * 1024)},
            )
        return image


class EmployerIntroForm(PrintedTextMixin, CrispyMixin, forms.ModelForm):
    facilities = forms.MultipleChoiceField(
        label=_("facilities"), choices=Facility.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EmployerIntro
        fields = ["atmosphere", "facilities", "house_rules", "message"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("atmosphere", "house_rules", "message")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # 「N文字まで」 and the live counter come from the model's caps (CrispyMixin).
        self.fields["version"].initial = self.instance.version if self.instance.pk else 1

    def service_fields(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("atmosphere", "facilities", "house_rules", "message")}
        data["version"] = self.cleaned_data["version"] or 1
        return data


class PrintListForm(forms.Form):
    """One group of checkboxes (which sheets) per listed program."""

    def __init__(self, *args, entries=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from sheets.printing.sheets import SHEET_KINDS

        choices = [(k.key, f"{k.number} {k.title}") for k in SHEET_KINDS.values()]
        self.entries = list(entries)
        for entry in self.entries:
            self.fields[f"kinds_{entry.program.uuid}"] = forms.MultipleChoiceField(
                label=entry.program.title,
                choices=choices,
                required=False,
                initial=entry.kinds,
                widget=forms.CheckboxSelectMultiple,
            )

    def chosen_kinds(self) -> dict[str, list[str]]:
        return {str(e.program.uuid): self.cleaned_data[f"kinds_{e.program.uuid}"] for e in self.entries}

    def field_for(self, entry):
        return self[f"kinds_{entry.program.uuid}"]


class ReadingsForm(forms.Form):
    """The readings of ②'s words, one field per word with kanji on the sheet (pre-filled with
    the reading shown: the coordinator's correction or the dictionary's)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    furigana = forms.BooleanField(label=_("add furigana to ②"), required=False)

    def __init__(self, *args, words: list[tuple[str, str, str]], program, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.words = words
        self.fields["version"].initial = program.version
        self.fields["furigana"].initial = program.furigana
        for index, (word, reading, dictionary) in enumerate(words):
            self.fields[f"r{index}"] = forms.CharField(
                label=word,
                initial=reading,
                required=False,
                max_length=MAX_READING,
                help_text=dictionary,
                widget=forms.TextInput(attrs={"lang": "ja", "autocomplete": "off"}),
            )

    def rows(self) -> list:
        return [(word, dictionary, self[f"r{i}"]) for i, (word, _reading, dictionary) in enumerate(self.words)]

    def clean(self):
        data = super().clean()
        for index, (word, _reading, _dictionary) in enumerate(self.words):
            typed = clean_reading(data.get(f"r{index}") or "")
            if typed and not KANA_READING.match(typed):
                self.add_error(f"r{index}", _("Write the reading of “%(word)s” in hiragana.") % {"word": word})
            data[f"r{index}"] = typed
        return data

    def readings(self) -> dict[str, str]:
        """The corrections: the words whose reading differs from the dictionary's (a blank
        field goes back to the dictionary's reading)."""
        result = {}
        for index, (word, _reading, dictionary) in enumerate(self.words):
            typed = self.cleaned_data.get(f"r{index}", "")
            if typed and typed != dictionary:
                result[word] = typed
        return result
