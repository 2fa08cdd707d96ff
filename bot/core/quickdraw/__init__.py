"""quickdraw"""
