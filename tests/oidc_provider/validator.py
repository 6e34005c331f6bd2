from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """The person's email in the ID token and userinfo, as Entra ID and Google Workspace give."""

    def get_additional_claims(self, request):
        return {
            "email": request.user.email,
            "email_verified": True,
            "preferred_username": request.user.username,
        }
