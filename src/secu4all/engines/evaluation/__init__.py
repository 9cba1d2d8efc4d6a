"""Evaluation engine: did an intervention work?"""
