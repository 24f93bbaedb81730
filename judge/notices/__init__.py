"""Notices (공지사항), questions and answers (Q&A), and the notifications they leave."""
