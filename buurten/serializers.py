"""How the JSON API refers to a buurt (the meldingen feed, activities)."""

from rest_framework import serializers


class BuurtRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()
