# A source whose third line is not an amd64 instruction.
	.text
	frobnicate	%eax
