"""Extractors: each reads an ArticleDoc and returns Evidence for its fields."""
