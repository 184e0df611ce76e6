from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from allauth.account.models import EmailAddress
        from allauth.mfa.signals import authentication_failed
        from allauth.usersessions.models import UserSession
        from django.contrib import admin

        from .adapter import log_failed_code

        # allauth's own admin pages, registered before this runs: e-mail addresses are
        # the user's own field here (an extra address would be one more way to sign
        # in), and sessions are ended by the person (/account/sessions/) or by
        # deactivating them. Authenticators stay, so platform staff can remove the one
        # of a person who lost their phone.
        for model in (EmailAddress, UserSession):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
        from allauth.mfa.models import Authenticator

        from .admin import AuthenticatorAdmin

        if admin.site.is_registered(Authenticator):
            admin.site.unregister(Authenticator)
        admin.site.register(Authenticator, AuthenticatorAdmin)

        # allauth tells of a wrong second-factor code only by this signal; we only log it.
        authentication_failed.connect(log_failed_code, dispatch_uid="woonrust-log-failed-code")
